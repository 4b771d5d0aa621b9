//! The pieces of markup a page repeats most, written here rather than as template macros:
//! a story's teaser, a picture, a time. Templates call them as functions (`{{ teaser(t,
//! size="row") }}`), with the view models the pages pass ([`Teaser`](crate::view::Teaser),
//! [`Figure`](crate::view::Figure), [`TimeView`](crate::view::TimeView)).
//!
//! A minijinja macro call costs several times a function call: a frame of its own, its
//! arguments bound by name, and its output captured, returned as a string and written (and
//! scanned) again by the caller; nested macros pay that at every level. A section's page shows
//! twenty teasers, each with a picture and a time; as macros they were a fifth of its render.
//!
//! Every text goes through the formatter's own escaping ([`write_text`]), so what these write is
//! what the templates wrote.

use crate::pages::write_text;
use minijinja::value::Kwargs;
use minijinja::{Environment, Error, ErrorKind, Value};

pub(crate) fn register(env: &mut Environment<'_>) {
    env.add_function("time", time);
    env.add_function("image", image);
    env.add_function("teaser", teaser);
}

/// `time(t)`: `<time datetime="ISO">text</time>`.
fn time(t: &Value) -> Result<Value, Error> {
    let mut html = String::with_capacity(80);
    write_time(&mut html, t)?;
    Ok(Value::from_safe_string(html))
}

fn write_time(h: &mut String, t: &Value) -> Result<(), Error> {
    h.push_str("<time datetime=\"");
    write_attr(h, t, "iso")?;
    h.push_str("\">");
    write_attr(h, t, "text")?;
    h.push_str("</time>");
    Ok(())
}

/// `image(img, sizes="100vw", loading="lazy")`: an `<img>` with its scaled copies, inside a
/// `<picture>` that offers the WebP copies first when it has them.
fn image(img: &Value, kwargs: Kwargs) -> Result<Value, Error> {
    let sizes: Option<&str> = kwargs.get("sizes")?;
    let loading: Option<&str> = kwargs.get("loading")?;
    kwargs.assert_all_used()?;
    let mut html = String::with_capacity(1024);
    write_image(&mut html, img, sizes.unwrap_or("100vw"), loading.unwrap_or("lazy"))?;
    Ok(Value::from_safe_string(html))
}

fn write_image(h: &mut String, img: &Value, sizes: &str, loading: &str) -> Result<(), Error> {
    let srcset = is_text(img, "srcset");
    let webp = is_text(img, "srcset_webp");
    if webp {
        h.push_str("<picture><source type=\"image/webp\" srcset=\"");
        write_attr(h, img, "srcset_webp")?;
        h.push_str("\" sizes=\"");
        write_escaped(h, sizes)?;
        h.push_str("\">");
    }
    h.push_str("<img src=\"");
    write_attr(h, img, "src")?;
    if srcset {
        h.push_str("\" srcset=\"");
        write_attr(h, img, "srcset")?;
        h.push_str("\" sizes=\"");
        write_escaped(h, sizes)?;
    }
    for name in ["alt", "width", "height"] {
        h.push_str("\" ");
        h.push_str(name);
        h.push_str("=\"");
        write_attr(h, img, name)?;
    }
    h.push_str("\" loading=\"");
    write_escaped(h, loading)?;
    h.push_str("\" decoding=\"async\">");
    if webp {
        h.push_str("</picture>");
    }
    Ok(())
}

/// `teaser(t, size="small", heading="h3", show_section=true, show_time=true)`: a story in a
/// grid or a list. `size` is the layout (`lead`, `medium`, `small`, `row`, `compact`, or `text`
/// without a picture) and picks the picture's sizes; `heading` the headline's element.
fn teaser(t: &Value, kwargs: Kwargs) -> Result<Value, Error> {
    let size: Option<&str> = kwargs.get("size")?;
    let heading: Option<&str> = kwargs.get("heading")?;
    // Any value, taken as a template's `{% if %}` takes it (`kind != "section" or children`).
    let show_section: Option<Value> = kwargs.get("show_section")?;
    let show_time: Option<Value> = kwargs.get("show_time")?;
    kwargs.assert_all_used()?;
    let size = size.unwrap_or("small");
    let heading = heading.unwrap_or("h3");
    if !matches!(heading, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("a teaser's heading is h1 to h6, not {heading:?}"),
        ));
    }
    let mut html = String::with_capacity(2048);
    let h = &mut html;
    h.push_str("<article class=\"teaser teaser-");
    write_escaped(h, size)?;
    h.push_str("\">\n");
    let image = t.get_attr("image")?;
    if is_present(&image) && size != "text" {
        h.push_str("<a class=\"teaser-image\" href=\"");
        write_attr(h, t, "url")?;
        h.push_str("\" tabindex=\"-1\" aria-hidden=\"true\">");
        let (sizes, loading) = match size {
            "lead" => ("(max-width: 960px) 100vw, 50rem", "eager"),
            "compact" => ("8rem", "lazy"),
            _ => ("(max-width: 600px) 100vw, 20rem", "lazy"),
        };
        write_image(h, &image, sizes, loading)?;
        h.push_str("</a>\n");
    }
    h.push_str("<div class=\"teaser-body\">\n");
    if show_section.is_none_or(|v| v.is_true()) {
        let section = t.get_attr("section")?;
        h.push_str("<a class=\"kicker\" href=\"");
        write_attr(h, &section, "url")?;
        h.push_str("\">");
        write_attr(h, &section, "name")?;
        h.push_str("</a>\n");
    }
    h.push_str(&format!("<{heading} class=\"teaser-headline\"><a href=\""));
    write_attr(h, t, "url")?;
    h.push_str("\">");
    write_attr(h, t, "headline")?;
    h.push_str(&format!("</a></{heading}>\n"));
    if !matches!(size, "text" | "compact") {
        h.push_str("<p class=\"teaser-standfirst\">");
        write_attr(h, t, "standfirst")?;
        h.push_str("</p>\n");
    }
    let time = t.get_attr("time")?;
    if is_present(&time) && show_time.is_none_or(|v| v.is_true()) {
        h.push_str("<p class=\"teaser-time\">");
        write_time(h, &time)?;
        h.push_str("</p>\n");
    }
    h.push_str("</div>\n</article>\n");
    Ok(Value::from_safe_string(html))
}

/// Whether a template would take `value` as there (`{% if value %}` on a picture or a time).
fn is_present(value: &Value) -> bool {
    !(value.is_undefined() || value.is_none())
}

fn is_text(value: &Value, name: &str) -> bool {
    value.get_attr(name).is_ok_and(|v| v.as_str().is_some_and(|s| !s.is_empty()))
}

/// The attribute `name` of `value` as a template writes it: text escaped, a number as it is,
/// nothing when it is missing.
fn write_attr(out: &mut String, value: &Value, name: &str) -> Result<(), Error> {
    let v = value.get_attr(name)?;
    match v.as_str() {
        Some(text) => write_escaped(out, text),
        None if !is_present(&v) => Ok(()),
        None => std::fmt::Write::write_fmt(out, format_args!("{v}")).map_err(Error::from),
    }
}

fn write_escaped(out: &mut String, text: &str) -> Result<(), Error> {
    write_text(out, text, true).map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use crate::view::{Figure, Link, Teaser, TimeView};
    use minijinja::value::Serde;

    fn env() -> minijinja::Environment<'static> {
        let mut env = minijinja::Environment::new();
        env.set_formatter(crate::pages::html_formatter);
        super::register(&mut env);
        env
    }

    fn render(source: &str, t: &Teaser) -> Result<String, minijinja::Error> {
        env().render_str(source, minijinja::context! { t => Serde(t), kids => vec![1] })
    }

    fn story(picture: bool) -> Teaser {
        Teaser {
            url: "/news/2026/12/07/a-b".into(),
            headline: "Floods <script>alert(1)</script> & \"rain\"".into(),
            standfirst: "Rivers rose overnight.".into(),
            section: Link { name: "News".into(), url: "/news".into() },
            time: Some(TimeView { iso: "2026-12-07T06:00:00Z".into(), text: "7 December 2026, 07:00".into() }),
            image: picture.then(|| Figure {
                src: "/media/ab/cd.jpg".into(),
                srcset: "/media/ab/cd-640.jpg 640w, /media/ab/cd.jpg 1200w".into(),
                srcset_webp: "/media/ab/cd-640.webp 640w, /media/ab/cd.webp 1200w".into(),
                width: 1200,
                height: 800,
                alt: "A flooded \"street\"".into(),
                caption: String::new(),
                credit: String::new(),
            }),
        }
    }

    #[test]
    fn a_teaser_has_its_picture_kicker_headline_standfirst_and_time() {
        let html = render("{{ teaser(t, size=\"row\", heading=\"h2\") }}", &story(true)).expect("render");
        let doc = scraper::Html::parse_fragment(&html);
        let one = |css: &str| {
            let selector = scraper::Selector::parse(css).expect("selector");
            doc.select(&selector).next().unwrap_or_else(|| panic!("no {css} in {html}"))
        };
        assert_eq!(one("article.teaser.teaser-row a.teaser-image").value().attr("href"), Some("/news/2026/12/07/a-b"));
        let source = one("picture source[type='image/webp']");
        assert_eq!(source.value().attr("sizes"), Some("(max-width: 600px) 100vw, 20rem"));
        let img = one("picture img");
        assert_eq!(img.value().attr("alt"), Some("A flooded \"street\""));
        assert_eq!(img.value().attr("width"), Some("1200"));
        assert_eq!(img.value().attr("loading"), Some("lazy"));
        assert_eq!(one("a.kicker").text().collect::<String>(), "News");
        assert_eq!(
            one("h2.teaser-headline a").text().collect::<String>(),
            "Floods <script>alert(1)</script> & \"rain\""
        );
        assert!(!html.contains("<script>"), "{html}");
        assert_eq!(one("p.teaser-standfirst").text().collect::<String>(), "Rivers rose overnight.");
        assert_eq!(one("p.teaser-time time").value().attr("datetime"), Some("2026-12-07T06:00:00Z"));
    }

    #[test]
    fn sizes_and_switches_leave_out_what_the_layout_does_not_show() {
        let html =
            render("{{ teaser(t, size=\"text\", show_time=false, show_section=[]) }}", &story(true)).expect("render");
        assert!(html.contains("<h3 class=\"teaser-headline\">"), "{html}");
        for gone in ["<img", "kicker", "teaser-standfirst", "<time"] {
            assert!(!html.contains(gone), "{gone} in {html}");
        }
        // A template's truthy value shows the section, as `{% if %}` would.
        let html = render("{{ teaser(t, size=\"compact\", show_section=kids) }}", &story(false)).expect("render");
        assert!(html.contains("class=\"kicker\""), "{html}");
        assert!(!html.contains("<img") && !html.contains("teaser-standfirst"), "{html}");
        let lead = render("{{ teaser(t, size=\"lead\") }}", &story(true)).expect("render");
        assert!(lead.contains("loading=\"eager\""), "{lead}");
    }

    #[test]
    fn only_headings_make_a_teasers_headline_and_unknown_arguments_fail() {
        for source in ["{{ teaser(t, heading=\"script\") }}", "{{ teaser(t, colour=\"red\") }}"] {
            assert!(render(source, &story(false)).is_err(), "{source}");
        }
    }

    #[test]
    fn a_picture_without_scaled_copies_is_a_plain_img() {
        let mut small = story(true);
        if let Some(f) = small.image.as_mut() {
            f.srcset.clear();
            f.srcset_webp.clear();
        }
        let html = render("{{ image(t.image, sizes=\"96px\") }}", &small).expect("render");
        assert_eq!(
            html,
            "<img src=\"/media/ab/cd.jpg\" alt=\"A flooded &quot;street&quot;\" width=\"1200\" height=\"800\" \
             loading=\"lazy\" decoding=\"async\">"
        );
    }
}
