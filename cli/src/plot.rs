//! Curves drawn to an SVG file: loss (and accuracy) against epochs or steps.

use std::path::Path;

use plotters::prelude::*;

/// One curve: a name for the legend and its points.
pub struct Series<'a> {
    /// The legend's name.
    pub name: &'a str,
    /// `(x, y)` points.
    pub points: Vec<(f64, f64)>,
}

/// A panel: a title, axis labels and its curves.
pub struct Panel<'a> {
    /// Above the panel.
    pub title: &'a str,
    /// Under the x axis.
    pub x_label: &'a str,
    /// Beside the y axis.
    pub y_label: &'a str,
    /// The curves.
    pub series: Vec<Series<'a>>,
    /// A logarithmic y axis (for losses, which fall by orders of magnitude); points at
    /// or below zero are left out.
    pub log_y: bool,
}

const COLOURS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
];

/// Draws the panels side by side into an SVG file at `path`.
pub fn draw(path: &Path, panels: &[Panel<'_>]) -> Result<(), String> {
    let width = 480 * panels.len().max(1) as u32;
    let root = SVGBackend::new(path, (width, 360)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let areas = root.split_evenly((1, panels.len().max(1)));
    for (panel, area) in panels.iter().zip(&areas) {
        draw_panel(panel, area)?;
    }
    root.present().map_err(|e| e.to_string())
}

fn draw_panel(
    panel: &Panel<'_>,
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
) -> Result<(), String> {
    let shown = |&(_, y): &(f64, f64)| y.is_finite() && (!panel.log_y || y > 0.0);
    let points = panel
        .series
        .iter()
        .flat_map(|s| s.points.iter().filter(|p| shown(p)));
    let (mut x_max, mut y_min, mut y_max) = (1.0f64, f64::INFINITY, f64::NEG_INFINITY);
    for &(x, y) in points {
        x_max = x_max.max(x);
        y_min = y_min.min(y);
        y_max = y_max.max(y);
    }
    if !y_min.is_finite() {
        (y_min, y_max) = (if panel.log_y { 1e-3 } else { 0.0 }, 1.0);
    }
    let builder = |area| {
        let mut b = ChartBuilder::on(area);
        b.caption(panel.title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56);
        b
    };
    if panel.log_y {
        let range = (y_min / 1.2)..(y_max * 1.2);
        let chart = builder(area)
            .build_cartesian_2d(0.0..x_max, range.log_scale())
            .map_err(|e| e.to_string())?;
        finish(chart, panel, &shown)
    } else {
        let pad = ((y_max - y_min) * 0.05).max(1e-9);
        let chart = builder(area)
            .build_cartesian_2d(0.0..x_max, (y_min - pad)..(y_max + pad))
            .map_err(|e| e.to_string())?;
        finish(chart, panel, &shown)
    }
}

/// The mesh, the curves and the legend, on either kind of y axis.
fn finish<'b, Y>(
    mut chart: ChartContext<
        'b,
        SVGBackend<'b>,
        Cartesian2d<plotters::coord::types::RangedCoordf64, Y>,
    >,
    panel: &Panel<'_>,
    shown: &dyn Fn(&(f64, f64)) -> bool,
) -> Result<(), String>
where
    Y: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    chart
        .configure_mesh()
        .x_desc(panel.x_label)
        .y_desc(panel.y_label)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| e.to_string())?;
    // The first curve (training) last, on top of the others.
    for (i, series) in panel.series.iter().enumerate().rev() {
        let colour = COLOURS[i % COLOURS.len()];
        chart
            .draw_series(LineSeries::new(
                series.points.iter().copied().filter(|p| shown(p)),
                colour.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?
            .label(series.name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(|e| e.to_string())?;
    Ok(())
}
