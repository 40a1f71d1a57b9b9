"""Render an HTML file to PNG in headless Chromium (Debian package `chromium`, installed by
scripts/system-deps.sh), for tests and for the screenshots in docs/.

    python -m tests.e2e.chromium out/bulletin.html docs/bulletin-demo.png --height 2600

Chromium draws the page into a window of the given size; without a height the window is
tall (MAX_HEIGHT) and the blank rows under the page are cropped, giving the whole page.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

CHROMIUM = "/usr/bin/chromium"
MAX_HEIGHT = 12000


class ChromiumMissing(RuntimeError):
    pass


def chromium() -> str:
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not found:
        raise ChromiumMissing("headless Chromium not found: install the Debian package chromium "
                              "(`bash scripts/system-deps.sh` does it)")
    return found


def _crop_blank_bottom(path: Path, margin: int = 40) -> None:
    image = Image.open(path).convert("RGB")
    background = Image.new("RGB", image.size, image.getpixel((image.width - 1, image.height - 1)))
    box = ImageChops.difference(image, background).getbbox()
    if box:
        image.crop((0, 0, image.width, min(image.height, box[3] + margin))).save(path, optimize=True)


def screenshot(html: Path, png: Path, width: int = 1000, height: int | None = None, timeout: float = 120) -> Path:
    """Render `html` to `png` (whole page unless `height`); returns `png`."""
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="govaudit-chromium-") as profile:
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--force-device-scale-factor=1", "--no-first-run", f"--user-data-dir={profile}",
                        f"--window-size={width},{height or MAX_HEIGHT}", f"--screenshot={png}",
                        Path(html).resolve().as_uri()],
                       check=True, capture_output=True, timeout=timeout)
    if not png.exists():
        raise RuntimeError(f"Chromium wrote no screenshot for {html}")
    if height is None:
        _crop_blank_bottom(png)
    return png


def ink_fraction(png: Path) -> float:
    """Share of pixels that are not the page background (0: blank)."""
    image = Image.open(png).convert("L")
    background = image.getpixel((image.width - 1, image.height - 1))
    histogram = image.histogram()
    return 1 - histogram[background] / (image.width * image.height)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int)
    args = parser.parse_args()
    print(screenshot(args.html, args.png, args.width, args.height))


if __name__ == "__main__":
    main()
