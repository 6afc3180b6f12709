"""Makes the checked-in codec samples that OpenCV's bundled FFmpeg cannot write (H.264, VP8, VP9) and a
variable-frame-rate MP4. Run with /usr/bin/python3 and Debian's ffmpeg 5.1; the tests only read the outputs (CI has
no ffmpeg and no Python).

Every file is 64x48 with 40 frames. Frame i carries its index as 8 bits in a 4x2 grid of 16x24 blocks (bit b is
column b % 4, row b // 4; a set bit is gray 224, a clear bit gray 32): the pattern the tests also write with OpenCV
(tests/ConstCl.Core.Tests/Video/TestVideos.cs), robust to lossy compression so exact frames can be asserted.
"""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = ("color=c=black:size=64x48:rate=25:duration=1.6,format=gray,"
       "geq=lum='if(bitand(floor(N/pow(2\\,floor(X/16)+4*floor(Y/24)))\\,1)\\,224\\,32)',format=yuv420p")


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", SRC, *args],
                   check=True, cwd=HERE)


# H.264 with B-frames and a short GOP (a keyframe every 12 frames) so seeking crosses GOPs and frames are reordered.
ffmpeg("-c:v", "libx264", "-preset", "veryfast", "-g", "12", "-bf", "2", "-crf", "18", "-an", "h264.mp4")
ffmpeg("-c:v", "libvpx-vp9", "-g", "12", "-crf", "20", "-b:v", "0", "-an", "vp9.webm")
ffmpeg("-c:v", "libvpx", "-g", "12", "-crf", "10", "-b:v", "1M", "-an", "vp8.webm")
# Variable frame rate: frames 0..19 are 40 ms apart, frames 20..39 are 80 ms apart.
ffmpeg("-vf", "setpts='if(lt(N,20),N*0.04,0.8+(N-20)*0.08)/TB'", "-fps_mode", "passthrough",
       "-c:v", "libx264", "-preset", "veryfast", "-g", "12", "-bf", "0", "-crf", "18", "-an", "vfr.mp4")
# XviD-style AVIs with B-frames, as many UCF101/HMDB51 files are. libxvid writes a packed bitstream with placeholder
# frames: FFmpeg decodes 38 of its 40 frames (ffprobe -count_frames agrees) and the frame stamps start at 80 ms.
ffmpeg("-c:v", "libxvid", "-bf", "2", "-g", "12", "-q:v", "3", "-an", "xvid_bframes.avi")
ffmpeg("-c:v", "mpeg4", "-vtag", "DX50", "-bf", "2", "-g", "12", "-q:v", "3", "-an", "dx50_bframes.avi")
