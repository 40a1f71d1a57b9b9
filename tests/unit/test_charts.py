"""reports.charts: PNG charts with a CJK font, from small frames."""
import io

import pandas as pd
import pytest
from PIL import Image

from reports import charts

SITES = pd.DataFrame({"score": [95, 88, None, 72.5, 55, 60, 90],
                      "veto": [False, False, True, False, False, False, False]})


def test_score_bands_count_each_site_once():
    bands = charts.score_bands(SITES)
    assert bands["band"].tolist() == ["单项否决", "60分以下", "60–70分", "70–80分", "80–90分", "90分以上"]
    assert bands["count"].tolist() == [1, 1, 1, 1, 1, 2]        # 60 is in 60–70, 90 in 90分以上
    assert bands["count"].sum() == len(SITES)


def _image(png: bytes) -> Image.Image:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(png))


@pytest.mark.parametrize("draw", [
    lambda: charts.score_distribution_chart(charts.score_bands(SITES)),
    lambda: charts.category_chart(pd.DataFrame({"title": ["栏目不更新", "空白栏目"], "count": [9, 4]})),
    lambda: charts.trend_chart(pd.DataFrame({"month": ["2025-12", "2026-01", "2026-02"], "problems": [30, 25, 41],
                                             "pass_rate": [0.5, 0.6, float("nan")]})),
])
def test_charts_are_pngs_with_content(draw):
    image = _image(draw()).convert("L")
    assert image.width > 600 and image.height > 250
    assert image.getextrema()[0] < 100                 # something dark was drawn on the white page


def test_the_cjk_font_is_found_or_named():
    assert "CJK" in charts.cjk_family() or "Han" in charts.cjk_family()
    with pytest.raises(charts.ChartFontMissing, match="fonts-noto-cjk"):
        charts.cjk_family(("No Such Font Family",))
