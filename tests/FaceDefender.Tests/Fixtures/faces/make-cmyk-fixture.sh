#!/bin/sh
# Regenerates grace_hopper_cmyk.jpg: the public-domain grace_hopper.jpg re-encoded as a 4-component
# CMYK JPEG (what print workflows and some scanners produce), for the decoder's CMYK test.
# Needs ImageMagick 6 (`convert`); run from this folder. Tests read the committed file and need nothing.
set -eu
cd "$(dirname "$0")"
convert grace_hopper.jpg -strip -colorspace CMYK -quality 75 -sampling-factor 2x2,1x1,1x1,2x2 -type ColorSeparation grace_hopper_cmyk.jpg
