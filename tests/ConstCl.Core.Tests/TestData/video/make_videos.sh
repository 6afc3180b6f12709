#!/bin/sh
# Makes the checked-in codec samples that OpenCV's bundled FFmpeg cannot write (H.264, VP8, VP9) and a
# variable-frame-rate MP4. Run with Debian's ffmpeg 5.1 (not needed by the tests, which only read the outputs).
# Every file: 64x48, 40 frames; frame i is flat gray with luma 16 + 4*i (the frame-index pattern the tests decode).
set -e
cd "$(dirname "$0")"
SRC="color=c=black:size=64x48:rate=25:duration=1.6,format=gray,geq=lum='16+4*N',format=yuv420p"
# H.264 with B-frames and a short GOP (keyframes every 12 frames) so seeking crosses GOPs and reorders.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$SRC" -c:v libx264 -preset veryfast -g 12 -bf 2 -crf 10 -an h264.mp4
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$SRC" -c:v libvpx-vp9 -g 12 -crf 10 -b:v 0 -an vp9.webm
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$SRC" -c:v libvpx -g 12 -crf 4 -b:v 1M -an vp8.webm
# Variable frame rate: frames 0..19 are 40 ms apart, frames 20..39 are 80 ms apart.
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$SRC" -vf "setpts='if(lt(N,20),N*0.04,0.8+(N-20)*0.08)/TB'" \
  -fps_mode passthrough -c:v libx264 -preset veryfast -g 12 -bf 0 -crf 10 -an vfr.mp4
