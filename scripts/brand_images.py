"""Draw the integration's brand images (custom_components/zwave_serial/brand/*.png) with Pillow.

    .venv/bin/python scripts/brand_images.py

An original, simple design: a blue rounded square with a white "Z" and three radio waves.
Home Assistant 2026.3+ serves these files itself; HACS checks that brand/icon.png exists.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parents[1] / "custom_components" / "zwave_serial" / "brand"
BLUE = (18, 99, 176, 255)
WHITE = (255, 255, 255, 255)
TEXT = (33, 33, 33, 255)
SCALE = 4  # draw large, then downsample for smooth edges


def _mark(size: int) -> Image.Image:
    """The square mark, ``size`` pixels wide."""
    s = size * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, s - 1, s - 1), radius=int(s * 0.22), fill=BLUE)
    # the "Z": top bar, diagonal, bottom bar
    left, right, top, bottom, bar = s * 0.20, s * 0.62, s * 0.34, s * 0.80, s * 0.10
    d.rectangle((left, top, right, top + bar), fill=WHITE)
    d.rectangle((left, bottom - bar, right, bottom), fill=WHITE)
    d.polygon(
        [(right - bar * 1.25, top + bar), (right, top + bar), (left + bar * 1.25, bottom - bar), (left, bottom - bar)],
        fill=WHITE,
    )
    # radio waves from the Z's top-right corner
    cx, cy = right + s * 0.02, top - s * 0.02
    for i, radius in enumerate((0.10, 0.17, 0.24)):
        r = s * radius
        d.arc((cx - r, cy - r, cx + r, cy + r), start=-90, end=0, fill=WHITE, width=int(s * (0.035 - i * 0.003)))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def _logo(height: int) -> Image.Image:
    """The mark followed by the name, on a transparent background."""
    mark = _mark(height)
    font = ImageFont.load_default(size=int(height * 0.42))
    text = "Z-Wave Serial"
    left, top, right, bottom = font.getbbox(text)
    gap = int(height * 0.18)
    img = Image.new("RGBA", (height + gap + right + int(height * 0.08), height), (0, 0, 0, 0))
    img.alpha_composite(mark, (0, 0))
    ImageDraw.Draw(img).text((height + gap, (height - (bottom + top)) // 2), text, font=font, fill=TEXT)
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    _mark(256).save(OUT / "icon.png", optimize=True)
    _mark(512).save(OUT / "icon@2x.png", optimize=True)
    _logo(128).save(OUT / "logo.png", optimize=True)
    _logo(256).save(OUT / "logo@2x.png", optimize=True)
    for path in sorted(OUT.glob("*.png")):
        with Image.open(path) as img:
            print(path.name, img.size)


if __name__ == "__main__":
    main()
