#!/bin/sh
# Makes the checked-in codec samples that OpenCV's bundled FFmpeg cannot write (H.264, VP8, VP9) and a
# variable-frame-rate MP4. Run with Debian's ffmpeg 5.1 (the tests only read the outputs; CI has no ffmpeg).
# Every file: 64x48, 40 frames. Frame i carries its index as 8 bits in a 4x2 grid of 16x24 blocks (bit b = column
# b % 4, row b / 4; set bit = gray 224, clear bit = gray 32), the same pattern the tests write with OpenCV.
set -e
cd "$(dirname "$0")"
SRC="color=c=black:size=64x48:rate=25:duration=1.6,format=gray,geq=lum='if(bitand(floor(N/pow(2\,floor(X/16)+4*floor(Y/24)))\,1)\,224\,32)',format=yuv420p"
# H.264 with B-frames and a short GOP (keyframes every 12 frames) so seeking crosses GOPs and reorders.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$SRC" -c:v libx264 -preset veryfast -g 12 -bf 2 -crf 18 -an h264.mp4
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$SRC" -c:v libvpx-vp9 -g 12 -crf 20 -b:v 0 -an vp9.webm
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$SRC" -c:v libvpx -g 12 -crf 10 -b:v 1M -an vp8.webm
# Variable frame rate: frames 0..19 are 40 ms apart, frames 20..39 are 80 ms apart.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$SRC" -vf "setpts='if(lt(N,20),N*0.04,0.8+(N-20)*0.08)/TB'" \
  -fps_mode passthrough -c:v libx264 -preset veryfast -g 12 -bf 0 -crf 18 -an vfr.mp4
