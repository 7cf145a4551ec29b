#!/usr/bin/env bash
# Does the ledger workbook open in LibreOffice and hold what zhengce meant to write?
#
# Writes the ledger of the seed and the corpus as XLSX and as CSV, has LibreOffice (headless)
# convert every sheet of the workbook to CSV, and compares each with zhengce's own CSV of that
# sheet, cell by cell (numbers as numbers, whatever notation LibreOffice shows them in). Exit 0
# when every sheet matches, 1 when one differs, 2 when LibreOffice is missing or cannot load
# the file. Not part of CI (LibreOffice is large): run it after changing src/ledger/.
#
#   bash tests/tools/ledger-libreoffice-check.sh            # release build (built if missing)
#   ZHENGCE_BIN=target/debug/zhengce bash tests/tools/ledger-libreoffice-check.sh
#
# Needs LibreOffice Calc (`apt-get install -y libreoffice-calc`, or libreoffice-calc-nogui) and
# python3.
set -euo pipefail
cd "$(dirname "$0")/../.."

. tests/tools/lib.sh
need_soffice ledger-libreoffice-check
zhengce_bin
scratch
inputs=(seeds/*.txt tests/corpus/*.txt)
export SOURCE_DATE_EPOCH=1704067200
"$bin" ledger "${inputs[@]}" -o "$work/ledger.xlsx" -q
"$bin" ledger "${inputs[@]}" -o "$work/ledger.csv" -q

# CSV export: comma, double quote, UTF-8 (76), from line 1; the last field, -1, writes every
# sheet to its own file, ledger-<sheet>.csv (LibreOffice 7.2 and later).
mkdir -p "$work/lo"
"$soffice" --headless --norestore "-env:UserInstallation=file://$work/profile" \
  --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
  --outdir "$work/lo" "$work/ledger.xlsx" >"$work/lo.log" 2>&1 || true
if ! ls "$work"/lo/*.csv >/dev/null 2>&1; then
  echo "ledger-libreoffice-check: LibreOffice could not convert the workbook:" >&2
  cat "$work/lo.log" >&2
  exit 2
fi

python3 - "$work" <<'PY'
import csv, glob, os, sys

work = sys.argv[1]

def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))

def same(a, b):
    if a == b:
        return True
    try:
        return float(a) == float(b) or abs(float(a) - float(b)) <= 1e-9 * abs(float(b))
    except ValueError:
        return False

failed = False
sheets = ["任务清单", "部门任务", "指标", "文件"]
lo_files = sorted(glob.glob(os.path.join(work, "lo", "*.csv")))
for i, name in enumerate(sheets):
    ours = read(os.path.join(work, f"ledger-{name}.csv"))
    # LibreOffice names the files after the sheets; older versions write only the first sheet.
    lo = [p for p in lo_files if p.endswith(f"-{name}.csv")]
    if not lo and i == 0 and len(lo_files) == 1:
        lo = lo_files
    if not lo:
        print(f"{name}: not converted by this LibreOffice (first sheet only?)")
        failed = failed or i == 0
        continue
    theirs = read(lo[0])
    diffs = []
    if len(ours) != len(theirs):
        diffs.append(f"{len(ours)} rows written, {len(theirs)} read")
    for r, (a, b) in enumerate(zip(ours, theirs), start=1):
        # LibreOffice leaves out empty cells at the end of a row.
        b = b + [""] * (len(a) - len(b))
        for c, (x, y) in enumerate(zip(a, b)):
            if not same(x, y):
                diffs.append(f"row {r} column {c + 1}: wrote {x[:40]!r}, read {y[:40]!r}")
    if diffs:
        failed = True
        print(f"{name}: {len(diffs)} differences")
        for d in diffs[:10]:
            print("  " + d)
    else:
        print(f"{name}: {len(ours)} rows x {len(ours[0])} columns, the same")
sys.exit(1 if failed else 0)
PY
