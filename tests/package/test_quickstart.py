"""The README's quickstart, run as a user runs it (`make demo`), against the embedded sandbox."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_quickstart_pays_everything_it_owes_and_saves_a_trial_balance(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIIGO_")}
    env["SIIGO_QUICKSTART_DIR"] = str(tmp_path)
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = run.stdout
    assert "embedded Siigo sandbox" in out
    assert "(invalid_total_payments)" in out  # the short payment is refused locally, with Siigo's code
    # The invoice's balance after the credit note, then after the cash receipt.
    assert re.search(r"balance: 1,130\.50 -> 791\.35 COP", out), out
    assert re.search(r"RC-1-\d+: 791\.35 COP paid", out), out
    assert re.search(r"balance: 791\.35 -> 0\.00 COP", out), out
    # The purchase's VAT-inclusive price split, and its balance once the payment receipt is made.
    assert "base 800,000.00 + IVA 152,000.00" in out
    assert re.search(r"FC-1-\d+ balance 0\.00 COP", out), out
    (pdf,) = tmp_path.glob("invoice-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    (sheet,) = tmp_path.glob("balance-de-prueba-*.xlsx")
    with zipfile.ZipFile(sheet) as workbook:
        assert "xl/workbook.xml" in workbook.namelist()
