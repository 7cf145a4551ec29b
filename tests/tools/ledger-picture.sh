#!/usr/bin/env bash
# Renders the first screen of the seed's ledger to docs/img/ledger.png, the picture in the
# README: the workbook as LibreOffice prints it (landscape, as wide as the page), cropped to the
# top left. Needs LibreOffice Calc and pdftoppm (poppler-utils).
#
#   bash tests/tools/ledger-picture.sh            # release build (built if missing)
#   ZHENGCE_BIN=target/debug/zhengce bash tests/tools/ledger-picture.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

. tests/tools/lib.sh
need_soffice ledger-picture
if ! command -v pdftoppm >/dev/null; then
  echo "ledger-picture: needs pdftoppm (apt-get install -y poppler-utils)" >&2
  exit 2
fi
zhengce_bin
scratch
SOURCE_DATE_EPOCH=1704067200 "$bin" ledger seeds/000_c965c7f64a70dc2d.txt -o "$work/台账.xlsx" -q
"$soffice" --headless --norestore "-env:UserInstallation=file://$work/profile" \
  --convert-to pdf --outdir "$work" "$work/台账.xlsx" >/dev/null 2>&1
mkdir -p docs/img
# 200 dpi; the first 2,060 × 1,100 pixels from the page's top left, past its margin: every
# column and the first rows.
pdftoppm -png -r 200 -f 1 -l 1 -x 110 -y 120 -W 2060 -H 1100 -singlefile "$work/台账.pdf" docs/img/ledger
echo "docs/img/ledger.png"
