use super::*;

fn sample_line() -> LineChart {
    LineChart::new("lines", "Two lines")
        .x_label("epoch")
        .y_label("loss (nats)")
        .series(Series::from_ys("zero init", &[1.386, 1.386, 1.385]))
        .series(Series::new(
            "He, \"scaled\"",
            vec![(0.0, 1.5), (1.0, 0.7), (2.0, 0.1 + 0.2)],
        ))
}

/// Parse a CSV written by this crate (quoted fields allowed) into rows of fields.
fn parse_csv(csv: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for line in csv.lines() {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(ch) = chars.next() {
            match ch {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                ',' if !quoted => fields.push(std::mem::take(&mut field)),
                _ => field.push(ch),
            }
        }
        fields.push(field);
        rows.push(fields);
    }
    rows
}

/// A small well-formedness check: every tag is closed in order, attributes are quoted.
fn assert_well_formed(svg: &str) {
    assert!(
        svg.starts_with("<svg"),
        "starts with {:?}",
        &svg[..20.min(svg.len())]
    );
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').expect("unterminated tag");
        let tag = &after[..close];
        assert!(!tag.contains('<'), "'<' inside a tag: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "mismatched closing tag"
            );
        } else if !tag.ends_with('/') && !tag.starts_with('?') && !tag.starts_with('!') {
            stack.push(tag.split_whitespace().next().unwrap_or("").to_string());
        }
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in {tag}"
        );
        rest = &after[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed tags: {stack:?}");
}

#[test]
fn line_chart_csv_holds_exactly_the_points() {
    let chart = sample_line();
    let fig = chart.render().unwrap();
    let rows = parse_csv(&fig.csv);
    assert_eq!(rows[0], ["series", "x", "y"]);
    assert_eq!(rows.len(), 1 + 6);
    assert_eq!(rows[1], ["zero init", "0", "1.386"]);
    assert_eq!(rows[4][0], "He, \"scaled\"");
    // The CSV reads back to the exact f64s that were drawn.
    assert_eq!(rows[6][2].parse::<f64>().unwrap(), 0.1 + 0.2);
}

#[test]
fn svgs_are_well_formed_with_text_title_and_white_background() {
    for fig in all_kinds() {
        assert_well_formed(&fig.svg);
        assert!(fig.svg.contains("<text"), "{} has no text", fig.name);
        assert!(
            fig.svg.contains("fill=\"#FFFFFF\""),
            "{} has no white background",
            fig.name
        );
        assert!(fig.svg.contains("sans-serif"));
        assert!(
            !fig.svg.contains("0.30000000000000004"),
            "{} prints an unrounded tick",
            fig.name
        );
    }
}

#[test]
fn same_input_gives_same_bytes() {
    let a: Vec<Figure> = all_kinds();
    let b: Vec<Figure> = all_kinds();
    assert_eq!(a, b);
}

fn all_kinds() -> Vec<Figure> {
    let points = vec![(0.0, 0.0), (1.0, 0.5), (-1.0, 2.0), (0.3, -0.7), (2.0, 1.0)];
    let classes = vec![0, 1, 2, 3, 0];
    let grid = Grid::around(&points, 0.5, 20, 15).unwrap();
    let predicted = grid
        .centres()
        .iter()
        .map(|&(x, y)| usize::from(x > 0.0) + 2 * usize::from(y > 0.5))
        .collect();
    vec![
        sample_line().render().unwrap(),
        sample_line().log_y().markers().render().unwrap(),
        LineChart::new("loglog", "log-log")
            .series(Series::new(
                "power",
                vec![(1.0, 1.0), (10.0, 100.0), (1000.0, 1e6)],
            ))
            .log_x()
            .log_y()
            .render()
            .unwrap(),
        ScatterChart::new("scatter", "Blobs")
            .axes("x₁", "x₂")
            .points(points.clone(), classes.clone())
            .render()
            .unwrap(),
        DecisionMap::new("regions", "Regions")
            .axes("x₁", "x₂")
            .regions(grid, predicted)
            .points(points, classes)
            .class_names(&["a", "b", "c", "d"])
            .render()
            .unwrap(),
        HistogramPanel::new("hist", "Activations")
            .x_label("h")
            .range(-1.0, 1.0)
            .bins(10)
            .panel("layer 1", &[-0.9, -0.1, 0.0, 0.3, 0.31])
            .panel("layer 2", &[0.0, 0.0, 0.01])
            .render()
            .unwrap(),
        BarChart::new("bars", "Accuracy")
            .y_label("accuracy (mean ± sd)")
            .bar("zero", "tanh", 0.25, 0.0)
            .bar("He", "tanh", 0.9, 0.05)
            .bar("He", "ReLU", 0.95, 0.02)
            .render()
            .unwrap(),
    ]
}

#[test]
fn empty_and_nan_data_are_typed_errors() {
    assert!(matches!(
        LineChart::new("e", "e").render(),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        LineChart::new("e", "e")
            .series(Series::new("s", vec![]))
            .render(),
        Err(Error::Empty { .. })
    ));
    let nan = LineChart::new("n", "n")
        .series(Series::new("loss", vec![(0.0, 1.0), (1.0, f64::NAN)]))
        .render();
    match nan {
        Err(Error::NonFinite { what, index, value }) => {
            assert!(what.contains("loss"));
            assert_eq!(index, 1);
            assert!(value.is_nan());
        }
        other => panic!("expected NonFinite, got {other:?}"),
    }
    let e = LineChart::new("l", "l")
        .series(Series::from_ys("g", &[1.0, 0.0]))
        .log_y()
        .render()
        .unwrap_err();
    assert_eq!(
        e,
        Error::NotPositive {
            what: "series \"g\", y".into(),
            index: 1,
            value: 0.0
        }
    );
    assert!(e.to_string().contains("log-scale"));
    assert!(matches!(
        ScatterChart::new("s", "s").render(),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        ScatterChart::new("s", "s")
            .points(vec![(0.0, 1.0)], vec![])
            .render(),
        Err(Error::Mismatch { .. })
    ));
    assert!(matches!(
        ScatterChart::new("s", "s")
            .points(vec![(f64::INFINITY, 1.0)], vec![0])
            .render(),
        Err(Error::NonFinite { .. })
    ));
    let grid = Grid::new((0.0, 1.0), (0.0, 1.0), 2, 2).unwrap();
    assert!(matches!(
        DecisionMap::new("d", "d")
            .regions(grid, vec![0; 3])
            .points(vec![(0.5, 0.5)], vec![0])
            .render(),
        Err(Error::Mismatch {
            expected: 4,
            got: 3,
            ..
        })
    ));
    assert!(matches!(
        DecisionMap::new("d", "d")
            .points(vec![(0.5, 0.5)], vec![0])
            .render(),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        Grid::new((1.0, 0.0), (0.0, 1.0), 2, 2),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        HistogramPanel::new("h", "h").render(),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        HistogramPanel::new("h", "h").panel("p", &[]).render(),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        HistogramPanel::new("h", "h")
            .panel("p", &[f64::NAN])
            .render(),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        HistogramPanel::new("h", "h")
            .range(1.0, 1.0)
            .panel("p", &[1.0])
            .render(),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        BarChart::new("b", "b").render(),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        BarChart::new("b", "b")
            .bar("c", "s", f64::NAN, 0.0)
            .render(),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        BarChart::new("b", "b").bar("c", "s", 1.0, -0.1).render(),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        Series::from_xy("s", &[1.0], &[]),
        Err(Error::Mismatch { .. })
    ));
}

#[test]
fn histogram_counts_clamp_outliers_into_edge_bins() {
    let panel = HistogramPanel::new("h", "h")
        .range(0.0, 1.0)
        .bins(4)
        .panel("p", &[-5.0, 0.0, 0.3, 0.5, 0.99, 1.0, 7.0]);
    let bins = panel.counts().unwrap();
    assert_eq!((bins.lo, bins.hi), (0.0, 1.0));
    assert_eq!(bins.counts, vec![vec![2, 1, 1, 3]]);
    let fig = panel.render().unwrap();
    let rows = parse_csv(&fig.csv);
    assert_eq!(
        rows[0],
        ["panel", "bin_low", "bin_high", "count", "fraction"]
    );
    assert_eq!(rows[1], ["p", "0", "0.25", "2", &format!("{}", 2.0 / 7.0)]);
    assert_eq!(rows[4], ["p", "0.75", "1", "3", &format!("{}", 3.0 / 7.0)]);
}

#[test]
fn decision_map_csv_lists_regions_then_points() {
    let grid = Grid::new((0.0, 2.0), (0.0, 1.0), 2, 1).unwrap();
    assert_eq!(grid.centres(), vec![(0.5, 0.5), (1.5, 0.5)]);
    assert_eq!(grid.centres_flat(), vec![0.5, 0.5, 1.5, 0.5]);
    let fig = DecisionMap::new("d", "d")
        .regions(grid, vec![1, 0])
        .points(vec![(0.2, 0.9)], vec![1])
        .render()
        .unwrap();
    assert_eq!(
        fig.csv,
        "layer,class,x,y\nregion,1,0.5,0.5\nregion,0,1.5,0.5\npoint,1,0.2,0.9\n"
    );
}

#[test]
fn bar_chart_csv_and_order() {
    let fig = BarChart::new("b", "b")
        .bar("x", "s1", 1.0, 0.5)
        .bar("y", "s2", -2.0, 0.25)
        .render()
        .unwrap();
    assert_eq!(
        fig.csv,
        "category,series,mean,spread\nx,s1,1,0.5\ny,s2,-2,0.25\n"
    );
}

#[test]
fn numbers_are_formatted_for_people() {
    for (v, s) in [
        (0.1 + 0.2, "0.3"),
        (-0.0, "0"),
        (1.0, "1"),
        (-2.5, "-2.5"),
        (1e-4, "1e-4"),
        (123456.0, "1.23e5"),
        (0.001, "0.001"),
        (99999.0, "99999"),
        (1.0 / 3.0, "0.3333333333"),
    ] {
        assert_eq!(format_number(v), s, "{v}");
    }
}

#[test]
fn save_writes_svg_and_csv_and_show_is_quiet_outside_evcxr() {
    let fig = sample_line().render().unwrap();
    let dir = std::env::temp_dir().join(format!("charts-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    fig.save(&dir).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("lines.svg")).unwrap(),
        fig.svg
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("lines.csv")).unwrap(),
        fig.csv
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let content = fig.evcxr_content();
    assert!(content.starts_with("EVCXR_BEGIN_CONTENT image/svg+xml\n<svg"));
    assert!(content.ends_with("</svg>\nEVCXR_END_CONTENT"));
}

#[test]
fn palette_is_distinct() {
    for (i, a) in PALETTE.iter().enumerate() {
        assert!(PALETTE[..i].iter().all(|b| b != a), "colour {i} repeats");
    }
    assert_eq!(color(8), color(0));
}

/// Writes every kind of chart to $CHARTS_PREVIEW_DIR for a look (skipped when unset).
#[test]
fn preview() {
    if let Some(dir) = std::env::var_os("CHARTS_PREVIEW_DIR") {
        for fig in all_kinds() {
            fig.save(std::path::Path::new(&dir)).unwrap();
        }
    }
}

#[test]
fn line_chart_marks_draw_dashes_and_dots_and_keep_the_csv() {
    let pts = vec![(1.0, 1.0), (2.0, 4.0), (3.0, 9.0)];
    let solid = LineChart::new("m", "m")
        .series(Series::new("a", pts.clone()))
        .render()
        .unwrap();
    let marked = LineChart::new("m", "m")
        .series_as(Series::new("a", pts.clone()), crate::Mark::Dashed)
        .series_as(Series::new("b", pts.clone()), crate::Mark::Points)
        .render()
        .unwrap();
    // Dots only: one circle per point plus the legend's.
    assert_eq!(
        marked.svg.matches("<circle").count(),
        pts.len() + 1,
        "{}",
        marked.svg
    );
    assert_eq!(solid.svg.matches("<circle").count(), 0);
    // A dashed line is one polyline with a dash pattern, in the chart and its legend.
    assert_eq!(marked.svg.matches("<polyline").count(), 1);
    assert_eq!(marked.svg.matches("stroke-dasharray").count(), 2);
    assert_eq!(solid.svg.matches("stroke-dasharray").count(), 0);
    assert_eq!(marked.csv.lines().count(), 1 + 2 * pts.len());
    assert_eq!(
        LineChart::new("m", "m")
            .series_as(Series::new("a", pts.clone()), crate::Mark::Dashed)
            .render()
            .unwrap(),
        LineChart::new("m", "m")
            .series_as(Series::new("a", pts), crate::Mark::Dashed)
            .render()
            .unwrap()
    );
}

#[test]
fn series_in_picks_the_palette_colour() {
    let pts = vec![(1.0, 1.0), (2.0, 4.0), (3.0, 9.0)];
    let hex = |i: usize| crate::color(i).to_string();
    // Two series in colour 2: that colour is drawn, the default first two are not.
    let paired = LineChart::new("p", "p")
        .series_in(Series::new("measured", pts.clone()), crate::Mark::Points, 2)
        .series_in(
            Series::new("predicted", pts.clone()),
            crate::Mark::Dashed,
            2,
        )
        .render()
        .unwrap();
    let svg = paired.svg.to_uppercase();
    assert!(svg.contains(&hex(2)), "{}", paired.svg);
    assert!(!svg.contains(&hex(0)) && !svg.contains(&hex(1)));
    // measured_and_predicted is that pair: same bytes.
    assert_eq!(
        LineChart::new("p", "p")
            .measured_and_predicted(
                Series::new("measured", pts.clone()),
                Series::new("predicted", pts.clone()),
                2
            )
            .render()
            .unwrap(),
        paired
    );
    // series_as is series_in with the next colour: same bytes.
    assert_eq!(
        LineChart::new("p", "p")
            .series_as(Series::new("a", pts.clone()), crate::Mark::Dashed)
            .series_as(Series::new("b", pts.clone()), crate::Mark::Points)
            .render()
            .unwrap(),
        LineChart::new("p", "p")
            .series_in(Series::new("a", pts.clone()), crate::Mark::Dashed, 0)
            .series_in(Series::new("b", pts), crate::Mark::Points, 1)
            .render()
            .unwrap()
    );
}

#[test]
fn points_with_errors_draw_whiskers_and_add_an_error_column() {
    let pts = vec![(1.0, 0.2), (2.0, 0.5), (3.0, 0.9)];
    let fig = LineChart::new("e", "e")
        .series_in(
            Series::new("closed form", pts.clone()),
            crate::Mark::Dashed,
            0,
        )
        .points_with_errors(
            Series::new("Monte Carlo ± 2 se", pts.clone()),
            vec![0.05, 0.1, 0.0],
            0,
        )
        .render()
        .unwrap();
    let mut lines = fig.csv.lines();
    assert_eq!(lines.next(), Some("series,x,y,error"));
    assert_eq!(lines.next(), Some("closed form,1,0.2,"));
    assert_eq!(
        fig.csv.lines().nth(4),
        Some("Monte Carlo ± 2 se,1,0.2,0.05")
    );
    // One dot per point plus the legend's, and whiskers: one path of three strokes
    // (bar and caps) per point, and the legend's.
    assert_eq!(fig.svg.matches("<circle").count(), pts.len() + 1);
    let whiskers = fig
        .svg
        .lines()
        .find(|l| l.starts_with("<path") && l.contains("stroke-width=\"1.5\""))
        .unwrap();
    assert_eq!(whiskers.matches('M').count(), 3 * pts.len(), "{whiskers}");
    let plain = LineChart::new("e", "e")
        .series_in(
            Series::new("closed form", pts.clone()),
            crate::Mark::Dashed,
            0,
        )
        .series_in(
            Series::new("Monte Carlo ± 2 se", pts.clone()),
            crate::Mark::Points,
            0,
        )
        .render()
        .unwrap();
    assert!(fig.svg.len() > plain.svg.len());
    assert_eq!(plain.csv.lines().next(), Some("series,x,y"));
    // Wrong length, negative or non-finite half-widths, and whiskers below zero on a log
    // axis are errors that name the value.
    let one = |errors: Vec<f64>| {
        LineChart::new("e", "e").points_with_errors(Series::new("s", pts.clone()), errors, 0)
    };
    assert!(matches!(
        one(vec![0.1]).render(),
        Err(crate::Error::Mismatch {
            expected: 3,
            got: 1,
            ..
        })
    ));
    assert!(matches!(
        one(vec![0.1, -0.2, 0.1]).render(),
        Err(crate::Error::OutOfRange { value, .. }) if value == -0.2
    ));
    assert!(matches!(
        one(vec![0.1, f64::NAN, 0.1]).render(),
        Err(crate::Error::NonFinite { index: 1, .. })
    ));
    assert!(matches!(
        one(vec![0.3, 0.1, 0.1]).log_y().render(),
        Err(crate::Error::NotPositive { index: 0, .. })
    ));
    // Deterministic.
    assert_eq!(
        one(vec![0.1, 0.1, 0.1]).render(),
        one(vec![0.1, 0.1, 0.1]).render()
    );
}

#[test]
fn every_kind_reads_at_the_column_width_and_passes_its_audit() {
    for fig in all_kinds() {
        let audit = fig.audit().unwrap();
        assert!(audit.width <= COLUMN_WIDTH_PX, "{} is too wide", fig.name);
        assert!(
            audit.smallest_text_px(COLUMN_WIDTH_PX) >= 14.0,
            "{}: {}",
            fig.name,
            audit.smallest_text_px(COLUMN_WIDTH_PX)
        );
        assert_eq!(audit.problems(), Vec::<String>::new(), "{}", fig.name);
        // The phone variant: as wide as a phone's column, shown at its own size there, with
        // the same text sizes as the desktop chart.
        let phone = Audit::of(&fig.phone_svg).unwrap();
        assert_eq!(phone.width, PHONE_WIDTH_PX, "{}", fig.name);
        assert!(
            phone.smallest_text_px(PHONE_WIDTH_PX) >= audit.smallest_text_px(COLUMN_WIDTH_PX),
            "{}: {} px on a phone",
            fig.name,
            phone.smallest_text_px(PHONE_WIDTH_PX)
        );
        assert_eq!(
            phone.problems_at(PHONE_WIDTH_PX),
            Vec::<String>::new(),
            "{}",
            fig.name
        );
        assert_eq!(phone.legends(), audit.legends(), "{}", fig.name);
        assert_eq!(phone.marks(), audit.marks(), "{}", fig.name);
    }
}

#[test]
fn phone_variants_stack_panels_and_save_beside_the_chart() {
    let values: Vec<f64> = (0..200).map(|i| f64::from(i) / 200.0).collect();
    let fig = HistogramPanel::new("h", "four layers")
        .x_label("hˡ")
        .panel("layer 1", &values)
        .panel("layer 2", &values)
        .panel("layer 3", &values)
        .panel("layer 4", &values)
        .render()
        .unwrap();
    // Panel captions: two columns on the desktop, one on a phone.
    let captions = |svg: &str| -> Vec<(f64, f64)> {
        let audit = Audit::of(svg).unwrap();
        audit
            .texts
            .iter()
            .filter(|t| t.text.starts_with("layer "))
            .map(|t| {
                let (x, y) = t.position();
                (x.round(), y.round())
            })
            .collect()
    };
    let desktop = captions(&fig.svg);
    let phone = captions(&fig.phone_svg);
    assert_eq!(desktop.len(), 4);
    assert_eq!(phone.len(), 4);
    assert_eq!(desktop[0].1, desktop[1].1, "two to a row on the desktop");
    assert!(
        phone
            .windows(2)
            .all(|w| w[0].0 == w[1].0 && w[0].1 < w[1].1)
    );
    let dir = std::env::temp_dir().join(format!("charts-phone-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    fig.save(&dir).unwrap();
    for (file, data) in fig.files() {
        assert_eq!(std::fs::read_to_string(dir.join(&file)).unwrap(), data);
    }
    assert_eq!(fig.files()[1].0, "h.phone.svg");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every chart the book draws, as committed by `cargo xtask figures` (the workspace test
/// `tests/book.rs` checks that these are what the chapters draw now): text at least
/// MIN_TEXT_PX at the column width, no legend over data, no text over text, and small files.
#[test]
fn committed_figures_read_well() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/figures");
    let mut checked = 0;
    let mut problems = Vec::new();
    for chapter in std::fs::read_dir(&root).expect("src/figures exists") {
        let chapter = chapter.unwrap().path();
        for file in std::fs::read_dir(&chapter).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "svg") {
                continue;
            }
            let svg = std::fs::read_to_string(&path).unwrap();
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            let audit = Audit::of(&svg).unwrap();
            // A phone variant is shown at most 350 px wide, a chart in the 750 px column.
            let shown = if name.ends_with(".phone.svg") {
                if audit.width > PHONE_WIDTH_PX {
                    problems.push(format!("{name}: wider than a phone's column"));
                }
                PHONE_WIDTH_PX
            } else {
                COLUMN_WIDTH_PX
            };
            if audit.smallest_text_px(shown) < MIN_TEXT_PX {
                problems.push(format!("{name}: text under {MIN_TEXT_PX} px"));
            }
            problems.extend(
                audit
                    .problems_at(shown)
                    .into_iter()
                    .map(|p| format!("{name}: {p}")),
            );
            if svg.len() > 100_000 {
                problems.push(format!("{name}: {} bytes, over 100 kB", svg.len()));
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no figures under {}", root.display());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn legends_move_off_data_and_below_the_plot_when_no_corner_is_free() {
    // Data in every corner and along the middle: no place inside is free.
    let corners: Vec<(f64, f64)> = (0..=20)
        .flat_map(|i| {
            let x = i as f64 / 20.0;
            [(x, 0.0), (x, 1.0), (x, 0.5), (0.0, x), (1.0, x), (0.5, x)]
        })
        .collect();
    let fig = LineChart::new("crowded", "Crowded")
        .series_as(Series::new("everywhere", corners), Mark::Points)
        .legend(SeriesLabelPosition::UpperLeft)
        .render()
        .unwrap();
    let audit = fig.audit().unwrap();
    assert_eq!(audit.legends(), 1);
    assert!(audit.problems().is_empty(), "{:?}", audit.problems());
    // The legend went below the plot: its box is an unframed one.
    assert!(fig.svg.contains("<g class=\"legend\">\n<rect") && fig.svg.contains("fill=\"none\"/>"));
    // A free corner is used when it is free: a line rising from lower left to upper
    // right leaves the upper left free, and the preferred lower right is not.
    let diagonal = Series::new("rising", (0..=10).map(|i| (i as f64, i as f64)).collect());
    let fig = LineChart::new("diag", "Diagonal")
        .series(diagonal)
        .legend(SeriesLabelPosition::LowerRight)
        .render()
        .unwrap();
    assert!(
        fig.svg.contains("stroke=\"#B8B8B8\""),
        "legend framed inside the plot"
    );
    assert!(fig.audit().unwrap().problems().is_empty());
    let fig = LineChart::new("below", "Below")
        .series(Series::from_ys("a", &[1.0, 2.0]))
        .legend(SeriesLabelPosition::Below)
        .render()
        .unwrap();
    assert!(!fig.svg.contains("#B8B8B8"));
}

#[test]
fn integer_axes_get_integer_ticks() {
    let fig = LineChart::new("layers", "Layers")
        .x_label("layer l")
        .series(Series::from_ys_1("s", &[1.0, 0.5, 0.3]))
        .render()
        .unwrap();
    let labels: Vec<String> = fig
        .audit()
        .unwrap()
        .texts
        .into_iter()
        .map(|t| t.text)
        .collect();
    for l in ["1", "2", "3"] {
        assert!(labels.iter().any(|t| t == l), "{labels:?}");
    }
    assert!(
        !labels.iter().any(|t| t.contains('.')
            && t.parse::<f64>()
                .is_ok_and(|v| v > 0.9 && v < 3.1 && v.fract() != 0.0)),
        "{labels:?}"
    );
}

#[test]
fn labels_are_typeset_in_the_svg_and_kept_as_written_in_the_csv() {
    let fig = LineChart::new("t", "Std of a^l per layer")
        .y_label("std of ∂L/∂a^l")
        .series(Series::from_ys_1("bound 16^(l-1), σ_w = 1", &[1.0, 2.0]))
        .render()
        .unwrap();
    assert!(fig.svg.contains("Std of aˡ per layer"));
    assert!(fig.svg.contains("std of ∂L/∂aˡ"));
    assert!(fig.svg.contains("bound 16ˡ⁻¹, σ<tspan"));
    assert!(fig.csv.contains("bound 16^(l-1), σ_w = 1"));
}

#[test]
fn decision_maps_merge_cells_into_runs_and_stay_small() {
    // 400 points and a 60 x 60 grid, as the book's decision regions.
    let points: Vec<(f64, f64)> = (0..400)
        .map(|i| {
            let t = i as f64 * 0.7;
            (
                3.0 * libm::sin(t) * (i % 7) as f64 / 7.0,
                2.0 * libm::cos(t),
            )
        })
        .collect();
    let classes: Vec<usize> = (0..400).map(|i| i % 4).collect();
    let grid = Grid::around(&points, 0.5, 60, 60).unwrap();
    let predicted: Vec<usize> = grid
        .centres()
        .iter()
        .map(|&(x, y)| usize::from(x > 0.3 * y) + 2 * usize::from(y > 0.0))
        .collect();
    let fig = DecisionMap::new("regions", "Regions")
        .axes("x₁", "x₂")
        .regions(grid, predicted)
        .points(points, classes)
        .render()
        .unwrap();
    assert!(fig.svg.len() < 50_000, "{} bytes", fig.svg.len());
    // One path per predicted class holds every region box.
    assert_eq!(fig.svg.matches("shape-rendering=\"crispEdges\"").count(), 4);
    let audit = fig.audit().unwrap();
    assert!(audit.problems().is_empty(), "{:?}", audit.problems());
    // The regions fill the plot, so the legend is below it.
    assert!(!fig.svg.contains("#B8B8B8"));
    assert_eq!(fig.csv.lines().count(), 1 + 3600 + 400);
}

#[test]
fn histogram_panels_stack_in_two_columns_at_the_chart_width() {
    let mut panel = HistogramPanel::new("h", "Ten layers")
        .x_label("h^l")
        .range(-1.0, 1.0);
    for l in 0..10 {
        let values: Vec<f64> = (0..200)
            .map(|i| ((i * (l + 3)) % 200) as f64 / 100.0 - 1.0)
            .collect();
        panel = panel.panel(format!("layer {}", l + 1), &values);
    }
    let fig = panel.render().unwrap();
    let audit = fig.audit().unwrap();
    assert_eq!(audit.width, 600.0);
    assert!(audit.height > 5.0 * 105.0);
    assert!(audit.smallest_text_px(COLUMN_WIDTH_PX) >= 14.0);
    assert!(audit.problems().is_empty(), "{:?}", audit.problems());
    let fig = panel.own_y_scales().columns(3).render().unwrap();
    assert!(fig.audit().unwrap().problems().is_empty());
}

#[test]
fn long_titles_and_axis_labels_wrap_inside_the_chart() {
    let long = "a description long enough that it cannot fit on one line of the chart, \
                however the words are set, so it must wrap onto a second line or more";
    let fig = LineChart::new("long", long)
        .x_label(long)
        .y_label(long)
        .series(Series::from_ys("s", &[1.0, 2.0, 3.0]))
        .render()
        .unwrap();
    let audit = fig.audit().unwrap();
    assert!(audit.problems().is_empty(), "{:?}", audit.problems());
    // Title, x and y descriptions each take several lines.
    let pieces = audit
        .texts
        .iter()
        .filter(|t| long.contains(t.text.as_str()) && t.text.len() > 10)
        .count();
    assert!(pieces >= 6, "{pieces}");
}

#[test]
fn show_all_is_one_html_output_with_every_chart_in_order() {
    use base64::Engine as _;
    let a = sample_line().render().unwrap();
    let mut b = a.clone();
    b.name = "second <&>".into();
    let content = evcxr_content_all(&[a.clone(), b.clone()]);
    assert!(content.starts_with("EVCXR_BEGIN_CONTENT text/html\n<div"));
    assert!(content.ends_with("</div>\nEVCXR_END_CONTENT"));
    assert_eq!(content.matches("<img ").count(), 2);
    assert_eq!(content.lines().count(), 3, "the HTML is one line");
    let first = content.find("data-chart=\"lines\"").unwrap();
    let second = content.find("data-chart=\"second &lt;&amp;&gt;\"").unwrap();
    assert!(first < second);
    let payload = content[first..]
        .split("base64,")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let svg = base64::engine::general_purpose::STANDARD
        .decode(payload)
        .unwrap();
    assert_eq!(String::from_utf8(svg).unwrap(), a.svg.trim_end());
    // Outside evcxr it prints nothing (and does not panic on an empty list).
    show_all(&[a]);
    show_all(&[]);
}
