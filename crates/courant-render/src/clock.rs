//! Local time for readers: timestamps are stored in UTC and shown in the publication's zone.

use crate::settings::Labels;
use std::fmt::Write as _;
use time::{OffsetDateTime, UtcOffset};

/// The publication's time zone.
#[derive(Debug, Clone)]
pub struct SiteClock {
    zone: tz::TimeZone,
}

impl SiteClock {
    /// The zone named `name` (IANA, e.g. "Europe/Berlin", read from the system's zoneinfo), or
    /// "UTC". Fails with a message saying what to do.
    pub fn new(name: &str) -> Result<SiteClock, String> {
        let zone = match name {
            "UTC" | "Etc/UTC" | "Z" => tz::TimeZone::utc(),
            _ => tz::TimeZone::from_posix_tz(name).map_err(|e| {
                format!(
                    "unknown time zone {name:?} ({e}); use an IANA name such as \"Europe/London\" \
                     (install the tzdata package if /usr/share/zoneinfo is missing) or \"UTC\""
                )
            })?,
        };
        Ok(SiteClock { zone })
    }

    /// The instant `t` as local time in the publication's zone.
    pub fn local(&self, t: OffsetDateTime) -> OffsetDateTime {
        let offset = self
            .zone
            .find_local_time_type(t.unix_timestamp())
            .ok()
            .and_then(|lt| UtcOffset::from_whole_seconds(lt.ut_offset()).ok())
            .unwrap_or(UtcOffset::UTC);
        t.to_offset(offset)
    }

    /// `t` written for readers with `format` (see [`Labels::datetime_format`]).
    pub fn format(&self, t: OffsetDateTime, format: &str, labels: &Labels) -> String {
        let l = self.local(t);
        let month = labels.months.get(usize::from(u8::from(l.month())) - 1).map_or("", String::as_str);
        // One pass into one string: a page writes a dozen times.
        let mut out = String::with_capacity(format.len() + month.len());
        let mut rest = format;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            rest = &rest[open..];
            let field = ["{day}", "{month}", "{year}", "{hour}", "{minute}"].into_iter().find(|f| rest.starts_with(f));
            let _ = match field {
                Some("{day}") => write!(out, "{}", l.day()),
                Some("{month}") => write!(out, "{month}"),
                Some("{year}") => write!(out, "{}", l.year()),
                Some("{hour}") => write!(out, "{:02}", l.hour()),
                Some("{minute}") => write!(out, "{:02}", l.minute()),
                _ => write!(out, "{{"),
            };
            rest = &rest[field.map_or(1, str::len)..];
        }
        out.push_str(rest);
        out
    }
}

impl SiteClock {
    /// The instant a wall-clock time of the publication's zone stands for. In the hour a
    /// daylight-saving change skips or repeats, the offset in force just before is used.
    pub fn from_local(&self, local: time::PrimitiveDateTime) -> OffsetDateTime {
        let as_utc = local.assume_utc();
        let guess = self.local(as_utc).offset();
        let first = local.assume_offset(guess);
        let settled = self.local(first).offset();
        local.assume_offset(settled).to_offset(UtcOffset::UTC)
    }

    /// A time as the value of an HTML `datetime-local` input, in the publication's zone.
    pub fn input_value(&self, t: OffsetDateTime) -> String {
        let l = self.local(t);
        format!("{:04}-{:02}-{:02}T{:02}:{:02}", l.year(), u8::from(l.month()), l.day(), l.hour(), l.minute())
    }
}

/// `t` in RFC 3339 for `datetime` attributes and machines, in UTC.
pub fn iso(t: OffsetDateTime) -> String {
    t.to_offset(UtcOffset::UTC).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn utc_formats_with_labels() {
        let clock = SiteClock::new("UTC").expect("utc");
        let labels = Labels::default();
        let t = datetime!(2026-03-05 07:09 UTC);
        assert_eq!(clock.format(t, &labels.datetime_format, &labels), "5 March 2026, 07:09");
        assert_eq!(iso(t), "2026-03-05T07:09:00Z");
    }

    #[test]
    fn formats_put_each_field_where_it_stands_and_keep_other_braces() {
        let clock = SiteClock::new("UTC").expect("utc");
        let labels = Labels::default();
        let t = datetime!(2026-11-05 17:04 UTC);
        let format = "{hour}h{minute} {unknown} {day}.{month} {year} {";
        assert_eq!(clock.format(t, format, &labels), "17h04 {unknown} 5.November 2026 {");
        assert_eq!(clock.format(t, "", &labels), "");
    }

    #[test]
    fn local_times_convert_both_ways() {
        let clock = SiteClock::new("Europe/Berlin").expect("Europe/Berlin must load: install tzdata");
        let t = clock.from_local(time::macros::datetime!(2026-07-10 14:30));
        assert_eq!(t, datetime!(2026-07-10 12:30 UTC));
        assert_eq!(clock.input_value(t), "2026-07-10T14:30");
        assert_eq!(clock.from_local(time::macros::datetime!(2026-01-10 14:30)), datetime!(2026-01-10 13:30 UTC));
    }

    #[test]
    fn named_zone_follows_daylight_saving() {
        // Debian's tzdata provides the zone; the test command installs it.
        let clock = SiteClock::new("Europe/Berlin").expect("Europe/Berlin must load: install tzdata");
        assert_eq!(clock.local(datetime!(2026-01-10 12:00 UTC)).offset().whole_hours(), 1);
        assert_eq!(clock.local(datetime!(2026-07-10 12:00 UTC)).offset().whole_hours(), 2);
    }

    #[test]
    fn unknown_zone_is_a_clear_error() {
        let err = SiteClock::new("Mars/Olympus").unwrap_err();
        assert!(err.contains("Mars/Olympus") && err.contains("IANA"), "{err}");
    }
}
