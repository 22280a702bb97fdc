"""Draw the favicon's bitmap fallbacks from the same shapes as static/favicon.svg.

    .venv/bin/python scripts/favicon.py

writes static/rod/favicon.ico (16, 32 and 48 px; WhiteNoise serves static/rod/ at the site's root,
so /favicon.ico answers) and static/apple-touch-icon.png (180 px). Needs Pillow, which is not a
dependency of the application: run it only when the mark changes, and commit the files.
"""

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "static"
BLAA, GULD, HVID = "#0b3a66", "#ffbf47", "#ffffff"
# The M of favicon.svg on its 64-unit grid.
M = [(11, 54), (11, 22), (19, 22), (32, 37), (45, 22), (53, 22), (53, 54), (45, 54), (45, 34)]
M += [(32, 48), (19, 34), (19, 54)]


def tegn(stoerrelse: int) -> Image.Image:
    # Drawn four times larger and scaled down, for smooth edges.
    skala = stoerrelse * 4 / 64
    billede = Image.new("RGBA", (stoerrelse * 4, stoerrelse * 4), (0, 0, 0, 0))
    tegning = ImageDraw.Draw(billede)
    tegning.rounded_rectangle(
        (0, 0, stoerrelse * 4 - 1, stoerrelse * 4 - 1), radius=12 * skala, fill=BLAA
    )
    tegning.polygon([(x * skala, y * skala) for x, y in M], fill=HVID)
    # The coin: centre (50, 12), radius 8.
    tegning.ellipse((42 * skala, 4 * skala, 58 * skala, 20 * skala), fill=GULD)
    return billede.resize((stoerrelse, stoerrelse), Image.Resampling.LANCZOS)


def main() -> None:
    (STATIC / "rod").mkdir(exist_ok=True)
    tegn(48).save(STATIC / "rod" / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    apple = Image.new("RGB", (180, 180), BLAA)  # iOS draws its own rounded corners, no alpha
    apple.paste(tegn(180), (0, 0), tegn(180))
    apple.save(STATIC / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
