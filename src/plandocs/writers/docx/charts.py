"""A chart in Word as Word makes one: a chart part (DrawingML ``c:chartSpace``) with its
data embedded as a workbook, so a reviewer can "Edit Data" in Word or LibreOffice.

python-docx has no charts; python-pptx does, for PowerPoint, and the chart part is the
same in every Office format. Its chart XML writer (``pptx.chart.xmlwriter``) makes the
part from the chart's data, with the values cached so that a reader draws it without
opening the workbook, and its chart objects give it the document's look (fonts,
colours, legend, number formats). The workbook is written with XlsxWriter (python-pptx's
own dependency) at a fixed date, so the same document gives the same bytes. The figures
are written as numbers; their format code carries the document's locale (``[$-421]``,
Indonesian), so LibreOffice shows ``85,5`` in the Indonesian file and ``85.5`` in the
English one.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from html import escape
from typing import Any

from lxml import etree

from plandocs.render.chartdraw import scale
from plandocs.render.charts import COLOURS, Chart, digits_of

CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
LOCALES = {"id-ID": "[$-421]", "en-US": "[$-409]"}
"""The locale of a number format: Indonesian (0x0421) or English (United States)."""
HEIGHT_RATIO = 0.5
"""The chart's height as a share of its width."""
WORKBOOK_DATE = dt.datetime(2000, 1, 1)
REFERENCE = "B22222"


def number_format(digits: int, word_lang: str) -> str:
    """``[$-421]#,##0.00``: grouped, with ``digits`` decimals, in the document's locale."""
    return LOCALES.get(word_lang, "") + "#,##0" + ("." + "0" * digits if digits else "")


def _series(chart: Chart) -> list[tuple[str, list[Decimal | None]]]:
    """The chart's series, and its reference value as one more (a line across)."""
    found = [(s.name or chart.title or "-", list(s.values)) for s in chart.series]
    if chart.reference is not None:
        found.append((chart.reference_label or "-", [chart.reference] * len(chart.categories)))
    return found


def chart_xml(chart: Chart, word_lang: str, fonts: tuple[str, ...]) -> bytes:
    """The chart part: bars or lines, the reference as a dashed line, the look."""
    from pptx.chart.chart import Chart as PptxChart
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.oxml import parse_xml
    from pptx.util import Pt

    digits = digits_of(chart)
    fmt = number_format(digits, word_lang)
    data = CategoryChartData(number_format=fmt)
    data.categories = list(chart.categories)
    for name, values in _series(chart):
        data.add_series(name, [None if v is None else float(v) for v in values])
    kind = XL_CHART_TYPE.COLUMN_CLUSTERED if chart.kind == "bar" else XL_CHART_TYPE.LINE_MARKERS
    from pptx.chart.xmlwriter import ChartXmlWriter

    space = parse_xml(ChartXmlWriter(kind, data).xml.encode("utf-8"))
    if chart.kind == "bar" and chart.reference is not None:
        _reference_as_line(space)
    view = PptxChart(space, None)
    view.font.size = Pt(8.5)
    view.font.name = fonts[0]
    view.has_legend = len(chart.series) > 1 or chart.reference is not None
    if view.has_legend:
        view.legend.position = XL_LEGEND_POSITION.BOTTOM
        view.legend.include_in_layout = False
    axis = view.value_axis
    ticks, tick_digits = scale(chart)  # the PDF's axis, so both formats read alike
    axis.minimum_scale, axis.maximum_scale = ticks[0], ticks[-1]
    axis.major_unit = ticks[1] - ticks[0]
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = RGBColor(0xC8, 0xC8, 0xC8)
    axis.tick_labels.number_format = number_format(tick_digits, word_lang)
    axis.tick_labels.number_format_is_linked = False
    if chart.unit:
        axis.has_title = True
        axis.axis_title.text_frame.text = chart.unit
        axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(8.5)
        axis.axis_title.text_frame.paragraphs[0].runs[0].font.bold = False
    for plot in view.plots:
        for series in plot.series:
            index = series.index
            colour = REFERENCE if index >= len(chart.series) else COLOURS[index % len(COLOURS)][1:]
            _paint(series, colour, plot, chart)
            if index < len(chart.series):
                labels = series.data_labels
                labels.show_value = True
                labels.number_format = fmt
                labels.number_format_is_linked = False
                labels.font.size = Pt(7.5)
    if chart.kind == "bar":
        view.plots[0].gap_width = 60
        if len(chart.series) == 1 and chart.highlight is not None:
            point = view.plots[0].series[0].points[chart.highlight]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor.from_string(COLOURS[1][1:])
    written: bytes = etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)
    return written


def _paint(series: Any, colour: str, plot: Any, chart: Chart) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.util import Pt

    rgb = RGBColor.from_string(colour)
    reference = colour == REFERENCE
    if chart.kind == "bar" and not reference:
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb
        return
    line = series.format.line
    line.color.rgb = rgb
    line.width = Pt(1.25 if reference else 1.75)
    if reference:
        line.dash_style = MSO_LINE_DASH_STYLE.DASH
    marker = getattr(series, "marker", None)
    if marker is not None:
        from pptx.enum.chart import XL_MARKER_STYLE

        marker.style = XL_MARKER_STYLE.NONE if reference else XL_MARKER_STYLE.CIRCLE
        if not reference:
            marker.format.fill.solid()
            marker.format.fill.fore_color.rgb = rgb


def _reference_as_line(space: Any) -> None:
    """Move a bar chart's last series (the reference value) into a line chart over the
    same axes: a dashed line across the bars."""
    bar = space.find(f".//{{{C}}}barChart")
    series = bar.findall(f"{{{C}}}ser")[-1]
    bar.remove(series)
    for name in ("invertIfNegative",):
        for child in series.findall(f"{{{C}}}{name}"):
            series.remove(child)
    smooth = etree.SubElement(series, f"{{{C}}}smooth")
    smooth.set("val", "0")
    line = etree.Element(f"{{{C}}}lineChart")
    etree.SubElement(line, f"{{{C}}}grouping").set("val", "standard")
    etree.SubElement(line, f"{{{C}}}varyColors").set("val", "0")
    line.append(series)
    etree.SubElement(line, f"{{{C}}}marker").set("val", "1")
    for axis in bar.findall(f"{{{C}}}axId"):
        etree.SubElement(line, f"{{{C}}}axId").set("val", axis.get("val"))
    bar.addnext(line)


def workbook(chart: Chart) -> bytes:
    """The chart's data as the workbook Word opens for "Edit Data": categories in
    column A, a column per series, the layout the chart's formulas name."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": WORKBOOK_DATE})
    sheet = book.add_worksheet("Sheet1")
    sheet.write_string(0, 0, chart.category_title)
    series = _series(chart)
    for column, (name, _) in enumerate(series, start=1):
        sheet.write_string(0, column, name)
    for row, category in enumerate(chart.categories, start=1):
        sheet.write_string(row, 0, category)
        for column, (_, values) in enumerate(series, start=1):
            if values[row - 1] is not None:
                sheet.write_number(row, column, float(values[row - 1]))  # type: ignore[arg-type]
    sheet.set_column(0, 0, max(12, min(40, max(len(c) for c in chart.categories) + 2)))
    book.close()
    return buffer.getvalue()


def add_chart(
    body: Any, paragraph: Any, chart: Chart, word_lang: str, fonts: tuple[str, ...]
) -> None:
    """The chart as an inline drawing in ``paragraph``: a chart part related to the
    document, its workbook related to the chart part."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    from plandocs.writers.docx import ooxml

    document_part = body.document.part
    package = document_part.package
    number = 1 + sum(1 for p in package.iter_parts() if p.content_type == CHART_TYPE)
    space = chart_xml(chart, word_lang, fonts)
    part = Part(PackURI(f"/word/charts/chart{number}.xml"), CHART_TYPE, b"", package)
    data = Part(
        PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"),
        WORKBOOK_TYPE,
        workbook(chart),
        package,
    )
    data_id = part.relate_to(data, RT.PACKAGE)
    tree = etree.fromstring(space)
    external = etree.SubElement(tree, f"{{{C}}}externalData")
    external.set(f"{{{R}}}id", data_id)
    etree.SubElement(external, f"{{{C}}}autoUpdate").set("val", "0")
    part._blob = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
    chart_id = document_part.relate_to(part, RT.CHART)
    width = int(ooxml.text_width(body.document.sections[-1]))
    height = int(width * HEIGHT_RATIO)
    shape_id = document_part.next_id
    descr = escape(chart.title, quote=True)
    inline = parse_xml(
        f'<w:drawing xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:wp="{WP}" xmlns:a="{A}" xmlns:c="{C}" xmlns:r="{R}">'
        '<wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{width}" cy="{height}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="Chart {number}" descr="{descr}"/>'
        "<wp:cNvGraphicFramePr/>"
        f'<a:graphic><a:graphicData uri="{C}"><c:chart r:id="{chart_id}"/>'
        "</a:graphicData></a:graphic>"
        "</wp:inline></w:drawing>"
    )
    run = paragraph.add_run()
    run._r.append(inline)
