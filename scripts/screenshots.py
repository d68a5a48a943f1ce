"""Takes the README's screenshots from a running Awda (`make run`), in Chromium: `python scripts/screenshots.py`.

Signs in as the demo administrator (enrolling two-factor authentication from the key on the page),
starts a verification of the audit chain, and photographs pages in English, Arabic and Kurdish.
"""

from __future__ import annotations

import base64
import shutil
import sys
from pathlib import Path

from django_otp.oath import totp
from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def code_for(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
        page.goto(f"{BASE}/accounts/login/")
        page.select_option("#language-select", "en")
        page.wait_for_load_state("load")
        page.screenshot(path=str(OUT / "login-en.png"))
        page.fill("#id_username", "admin")
        page.fill("#id_password", "awda-demo-2026")
        page.click("main button[type=submit]")
        page.wait_for_load_state("load")
        if "/accounts/2fa/" in page.url:
            secret = page.locator("[data-testid=totp-secret]")
            page.screenshot(path=str(OUT / "two-factor-en.png"))
            page.fill("#id_token", code_for(secret.inner_text()) if secret.count() else input("TOTP code: "))
            page.click("main form button[type=submit]")
            page.wait_for_load_state("load")
        page.goto(f"{BASE}/manage/audit/")
        page.click("text=Verify the chain")
        page.wait_for_selector("text=entries verified", timeout=20_000)
        page.screenshot(path=str(OUT / "task-en.png"))
        for language in ("ar", "ckb"):
            page.goto(f"{BASE}/home/")
            page.select_option("#language-select", language)
            page.wait_for_function(f"document.documentElement.lang === '{language}'")
            page.screenshot(path=str(OUT / f"home-{language}.png"))
            page.goto(f"{BASE}/manage/users/")
            page.screenshot(path=str(OUT / f"users-{language}.png"))
        page.goto(f"{BASE}/manage/audit/")
        page.screenshot(path=str(OUT / "audit-ckb.png"))
        page.select_option("#language-select", "en")
        browser.close()
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
