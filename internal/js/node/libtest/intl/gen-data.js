'use strict';
// gen-data.js prints the locale data table of lib/internal/intl.js (the
// block between "BEGIN GENERATED LOCALE DATA" and "END GENERATED LOCALE
// DATA"), observed from the host's Intl (Node's ICU, i.e. CLDR data):
//   node gen-data.js        (or node update-data.js to splice it in)
// The data are facts about each locale (names, separators, field order);
// the code that uses them is intl.js's own.
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY'];
const UTC = 'UTC';

function parts(loc, opts, d) {
  return new Intl.DateTimeFormat(loc, { timeZone: UTC, ...opts }).formatToParts(d);
}
const day = (m, dd, h = 21, mi = 5, s = 7) => new Date(Date.UTC(2026, m, dd, h, mi, s, 123));

function names(loc, opts, field, n, mk) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(parts(loc, opts, mk(i)).find((p) => p.type === field).value);
  return out;
}

function dateData(loc) {
  const mk = (i) => day(i, 10);
  const months = {};
  for (const w of ['long', 'short', 'narrow']) {
    months['M' + w] = names(loc, { month: w, day: 'numeric' }, 'month', 12, mk);
    months['L' + w] = names(loc, { month: w }, 'month', 12, mk);
  }
  // 2026-03-01 is a Sunday.
  const wd = (i) => day(2, 1 + i);
  const weekdays = {};
  for (const w of ['long', 'short', 'narrow']) {
    weekdays['E' + w] = names(loc, { weekday: w, day: 'numeric' }, 'weekday', 7, wd);
    weekdays['c' + w] = names(loc, { weekday: w }, 'weekday', 7, wd);
  }
  const h12 = new Intl.DateTimeFormat(loc, { hour: 'numeric', hour12: true }).resolvedOptions().hourCycle;
  const hdef = new Intl.DateTimeFormat(loc, { hour: 'numeric' }).resolvedOptions().hourCycle;
  const periods = [day(2, 4, 9), day(2, 4, 21)].map((d) => parts(loc, { hour: 'numeric', hour12: true }, d).find((p) => p.type === 'dayPeriod').value);
  return { months, weekdays, h12, hdef, periods };
}

function findForm(values, lists) {
  for (const [k, list] of Object.entries(lists)) if (values.every((v, i) => v === list[i])) return k;
  return null;
}

// patternOf renders formatToParts of every month (and two hours) into
// intl.js's token list: letters for fields, "'" + text for literals.
function patternOf(loc, opts, dd) {
  const ps = parts(loc, opts, day(2, 4, 21, 5, 7));
  const early = parts(loc, opts, day(2, 4, 9, 5, 7));
  const allMonths = [];
  for (let i = 0; i < 12; i++) allMonths.push(parts(loc, opts, day(i, 4, 21)).find((p) => p.type === 'month'));
  const hc = new Intl.DateTimeFormat(loc, { timeZone: UTC, ...opts }).resolvedOptions().hourCycle;
  return ps.map((p, i) => {
    const e = early[i] || p;
    switch (p.type) {
      case 'literal': return "'" + p.value;
      case 'weekday': {
        // 2026-03-04 is a Wednesday (index 3).
        const want = opts.weekday || { full: 'long' }[opts.dateStyle];
        for (const letter of ['E', 'c']) {
          for (const [w, n] of [['long', 4], ['short', 3], ['narrow', 5]]) {
            if ((!want || want === w) && dd.weekdays[letter + w][3] === p.value) return letter.repeat(n);
          }
        }
        throw new Error(`weekday ${p.value} ${loc}`);
      }
      case 'year': return p.value.length === 2 ? 'yy' : 'y';
      case 'month': {
        if (/^\d+$/.test(p.value)) return p.value.length === 2 ? 'MM' : 'M';
        const vals = allMonths.map((m) => m.value);
        const f = findForm(vals, dd.months);
        if (!f) throw new Error(`month form ${loc} ${JSON.stringify(opts)} ${vals}`);
        const letter = f[0];
        return letter.repeat({ long: 4, short: 3, narrow: 5 }[f.slice(1)]);
      }
      case 'day': return p.value.length === 2 ? 'dd' : 'd';
      case 'hour': {
        const l = { h11: 'K', h12: 'h', h23: 'H', h24: 'k' }[hc];
        return e.value.length === 2 ? l + l : l;
      }
      case 'minute': return e.value.length === 2 || p.value.length === 2 ? 'mm' : 'm';
      case 'second': return p.value.length === 2 ? 'ss' : 's';
      case 'dayPeriod': return 'a';
      case 'timeZoneName': return opts.timeZoneName === 'long' || opts.timeStyle === 'full' ? 'zzzz' : 'z';
      case 'fractionalSecond': return 'S'.repeat(p.value.length);
      default: throw new Error('part ' + p.type);
    }
  });
}

function datePatterns(loc, dd) {
  const out = {};
  for (const wk of ['', 'EEEE', 'EEE', 'EEEEE']) for (const y of ['', 'y', 'yy']) for (const m of ['', 'M', 'MM', 'MMMM', 'MMM', 'MMMMM']) for (const d of ['', 'd', 'dd']) {
    const key = wk + y + m + d;
    if (!key) continue;
    const o = {};
    if (wk) o.weekday = { EEEE: 'long', EEE: 'short', EEEEE: 'narrow' }[wk];
    if (y) o.year = y === 'yy' ? '2-digit' : 'numeric';
    if (m) o.month = { M: 'numeric', MM: '2-digit', MMMM: 'long', MMM: 'short', MMMMM: 'narrow' }[m];
    if (d) o.day = d === 'dd' ? '2-digit' : 'numeric';
    out[key] = patternOf(loc, o, dd);
  }
  return out;
}

// The hour options change the pattern ICU picks (hour12:false gives "H:mm"
// where hourCycle:"h23" gives "HH:mm"), so time patterns are kept per mode.
const HOUR_MODES = { def: {}, h12: { hour12: true }, h23: { hour12: false }, c11: { hourCycle: 'h11' }, c12: { hourCycle: 'h12' }, c23: { hourCycle: 'h23' }, c24: { hourCycle: 'h24' } };

function timePatterns(loc, dd) {
  const out = {};
  for (const [mode, mo] of Object.entries(HOUR_MODES)) {
    const t = {};
    for (const h of ['', 'h', 'hh']) for (const m of ['', 'm', 'mm']) for (const s of ['', 's', 'ss']) {
      const key = h + m + s;
      if (!key || (!h && mode !== 'def')) continue;
      const o = { ...mo };
      if (h) o.hour = h.length === 2 ? '2-digit' : 'numeric';
      if (m) o.minute = m.length === 2 ? '2-digit' : 'numeric';
      if (s) o.second = s.length === 2 ? '2-digit' : 'numeric';
      t[key] = patternOf(loc, o, dd);
      // With a zone name ICU may pick another pattern ("21h GMT+1" in
      // en-GB); kept only where it differs from appending " z".
      const z = patternOf(loc, { ...o, timeZoneName: 'short' }, dd);
      if (z.join('|') !== [...t[key], "' ", 'z'].join('|')) t[key + 'z'] = z;
    }
    const st = {};
    for (const style of ['full', 'long', 'medium', 'short']) st[style] = patternOf(loc, { timeStyle: style, ...mo }, dd);
    t.styles = st;
    t.hc = new Intl.DateTimeFormat(loc, { hour: 'numeric', ...mo }).resolvedOptions().hourCycle;
    out[mode] = t;
  }
  return out;
}

function styles(loc, dd) {
  const out = { date: {}, glue: {} };
  const d = day(2, 4);
  for (const st of ['full', 'long', 'medium', 'short']) {
    out.date[st] = patternOf(loc, { dateStyle: st }, dd);
    // The glue joining a date of this style with a time.
    const f = (o) => new Intl.DateTimeFormat(loc, { timeZone: UTC, ...o }).format(d);
    const both = f({ dateStyle: st, timeStyle: 'short' });
    out.glue[st] = both.replace(f({ dateStyle: st }), '{1}').replace(f({ timeStyle: 'short' }), '{0}');
  }
  return out;
}

function numberData(loc) {
  const nf = (o) => new Intl.NumberFormat(loc, o);
  const p = nf({}).formatToParts(1234567.5);
  const group = p.find((x) => x.type === 'group').value;
  const decimal = p.find((x) => x.type === 'decimal').value;
  const minGrouping = nf({}).format(1234).includes(group) ? 1 : 2;
  const tmpl = (o, v) => nf(o).formatToParts(v).map((x) => {
    if (['integer', 'group', 'decimal', 'fraction'].includes(x.type)) return '#';
    if (x.type === 'minusSign') return '-';
    if (x.type === 'percentSign') return '%';
    if (x.type === 'currency') return '¤';
    return x.value;
  }).join('').replace(/#+/g, '#');
  const currency = {};
  for (const c of CURRENCIES) {
    currency[c] = {
      digits: nf({ style: 'currency', currency: c }).resolvedOptions().maximumFractionDigits,
      symbol: nf({ style: 'currency', currency: c }).formatToParts(1).find((x) => x.type === 'currency').value,
      narrow: nf({ style: 'currency', currency: c, currencyDisplay: 'narrowSymbol' }).formatToParts(1).find((x) => x.type === 'currency').value,
    };
  }
  return {
    decimal, group, minGrouping,
    percent: [tmpl({ style: 'percent' }, 0.5), tmpl({ style: 'percent' }, -0.5)],
    currency: [tmpl({ style: 'currency', currency: 'EUR' }, 1), tmpl({ style: 'currency', currency: 'EUR' }, -1)],
    accounting: [tmpl({ style: 'currency', currency: 'EUR', currencySign: 'accounting' }, 1), tmpl({ style: 'currency', currency: 'EUR', currencySign: 'accounting' }, -1)],
    currencies: currency,
    // Symbols whose pattern puts a space between symbol and number when the
    // symbol is alphabetic (ICU's currency spacing).
    spacedUSD: nf({ style: 'currency', currency: 'USD' }).format(1),
  };
}

const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage',
  'Pacific/Honolulu', 'America/Toronto', 'America/Vancouver', 'America/Mexico_City', 'America/Sao_Paulo', 'America/Argentina/Buenos_Aires',
  'Europe/London', 'Europe/Dublin', 'Europe/Lisbon', 'Europe/Paris', 'Europe/Berlin', 'Europe/Madrid', 'Europe/Rome', 'Europe/Amsterdam',
  'Europe/Brussels', 'Europe/Zurich', 'Europe/Stockholm', 'Europe/Warsaw', 'Europe/Athens', 'Europe/Helsinki', 'Europe/Moscow',
  'Europe/Istanbul', 'Africa/Cairo', 'Africa/Johannesburg', 'Africa/Lagos', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Shanghai',
  'Asia/Hong_Kong', 'Asia/Singapore', 'Asia/Tokyo', 'Asia/Seoul', 'Asia/Jakarta', 'Australia/Sydney', 'Australia/Melbourne',
  'Australia/Perth', 'Pacific/Auckland'];

// Zone names: [short, long, shortGeneric, longGeneric] for standard time
// and, where the zone has one, for daylight time; "" means the GMT offset
// format is shown.
function zoneNames(loc) {
  const out = {};
  const name = (zone, style, ms) => new Intl.DateTimeFormat(loc, { timeZone: zone, timeZoneName: style }).formatToParts(ms).find((p) => p.type === 'timeZoneName').value;
  for (const zone of ZONES) {
    const jan = Date.UTC(2026, 0, 15, 12);
    const jul = Date.UTC(2026, 6, 15, 12);
    const off = (ms) => name(zone, 'shortOffset', ms);
    const enOff = (ms) => new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(ms).find((p) => p.type === 'timeZoneName').value;
    const offMin = (ms) => { const m = /([+-])(\d+)(?::(\d+))?/.exec(enOff(ms)); return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] || 0)) : 0; };
    const pick = (ms) => ['short', 'long', 'shortGeneric', 'longGeneric'].map((st) => {
      const v = name(zone, st, ms);
      return v === off(ms) || v === name(zone, 'longOffset', ms) ? '' : v;
    });
    const a = offMin(jan);
    const b = offMin(jul);
    const e = a === b ? [pick(jan)] : a < b ? [pick(jan), pick(jul)] : [pick(jul), pick(jan)];
    out[zone] = e;
    const canon = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    if (canon !== zone) out[canon] = e;
  }
  return out;
}

function zoneData(loc) {
  const d = day(2, 4);
  const name = (o) => new Intl.DateTimeFormat(loc, { hour: 'numeric', ...o }).formatToParts(d).find((p) => p.type === 'timeZoneName').value;
  return {
    utcShort: name({ timeZone: 'UTC', timeZoneName: 'short' }),
    utcLong: name({ timeZone: 'UTC', timeZoneName: 'long' }),
    // A zone without a localized short name shows as GMT+h:mm; the sample
    // tells the prefix.
    offsetSample: name({ timeZone: 'Asia/Kolkata', timeZoneName: 'short' }),
    offsetLongSample: name({ timeZone: 'Asia/Kolkata', timeZoneName: 'longOffset' }),
    zeroOffset: name({ timeZone: 'UTC', timeZoneName: 'shortOffset' }),
    // formatRange's fallback "{0} – {1}" separator, seen across years.
    rangeSeparator: (() => {
      const f = new Intl.DateTimeFormat(loc, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' });
      const a = Date.UTC(2026, 0, 5);
      const b = Date.UTC(2027, 1, 7);
      return f.formatRange(a, b).slice(f.format(a).length, -f.format(b).length);
    })(),
    // The minus sign of negative offsets (French uses U+2212).
    minus: name({ timeZone: 'America/New_York', timeZoneName: 'longOffset' }).replace(/^\D*?([^\d\s])\d.*$/u, '$1').slice(-1),
    zeroLongOffset: name({ timeZone: 'UTC', timeZoneName: 'longOffset' }),
    names: zoneNames(loc),
  };
}

// Templates for a value of each plural category: "#" stands for the number.
const PLURAL_SAMPLES = { zero: 0, one: 1, two: 2, few: 3, many: 1000000, other: 2 };
function sampleFor(loc, cat) {
  const pr = new Intl.PluralRules(loc);
  for (const v of [PLURAL_SAMPLES[cat], 0, 1, 2, 3, 5, 11, 21, 100, 1000000, 1.5]) if (pr.select(v) === cat) return v;
  return null;
}

function relativeData(loc) {
  const out = {};
  const cats = new Intl.PluralRules(loc).resolvedOptions().pluralCategories;
  for (const style of ['long', 'short', 'narrow']) {
    const rtf = new Intl.RelativeTimeFormat(loc, { style });
    const auto = new Intl.RelativeTimeFormat(loc, { style, numeric: 'auto' });
    const u = {};
    for (const unit of ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']) {
      const e = { future: {}, past: {}, auto: {} };
      for (const cat of cats) {
        const v = sampleFor(loc, cat);
        if (v === null) continue;
        const t = (x) => rtf.formatToParts(x, unit).map((p) => p.type === 'literal' ? p.value : '#').join('').replace(/#+/g, '#');
        e.future[cat] = t(v);
        e.past[cat] = t(-v);
      }
      for (const v of [-2, -1, 0, 1, 2]) {
        const ps = auto.formatToParts(v, unit);
        if (ps.length === 1 && ps[0].type === 'literal') e.auto[v] = ps[0].value;
      }
      // "0 seconds ago" versus "in 0 seconds": -0 is past.
      e.zeroPast = rtf.format(-0, unit);
      u[unit] = e;
    }
    out[style] = u;
  }
  return out;
}

function compactData(loc) {
  const out = {};
  for (const display of ['short', 'long']) {
    const nf = new Intl.NumberFormat(loc, { notation: 'compact', compactDisplay: display });
    const cats = new Intl.PluralRules(loc).resolvedOptions().pluralCategories;
    const powers = [];
    for (let k = 0; k <= 20; k++) {
      const e = {};
      const tmpl = (v) => {
        const ps = nf.formatToParts(v);
        const digits = ps.filter((p) => p.type === 'integer').map((p) => p.value).join('').length;
        const t = ps.map((p) => (['integer', 'group', 'decimal', 'fraction'].includes(p.type)) ? '#' : p.value).join('').replace(/#+/g, '#');
        return [t, ps.some((p) => p.type === 'compact') ? digits : 0];
      };
      for (const cat of cats) {
        // A sample shown with digits: 1.5 stands for "one" in French,
        // where exactly 1 may have its own wording.
        const m = [2, 3, 5, 1.5, 1, 11, 21].find((x) => new Intl.PluralRules(loc).select(x) === cat);
        if (m === undefined) continue;
        e[cat] = tmpl(m * 10 ** k);
      }
      const one = tmpl(10 ** k);
      if (!one[0].includes('#')) e['1'] = one;
      powers.push(e);
    }
    out[display] = powers;
  }
  return out;
}

const UNITS = ['bit', 'byte', 'kilobit', 'kilobyte', 'megabit', 'megabyte', 'gigabit', 'gigabyte', 'terabit', 'terabyte', 'petabyte',
  'millisecond', 'microsecond', 'nanosecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'year', 'percent',
  'millimeter', 'centimeter', 'meter', 'kilometer', 'inch', 'foot', 'yard', 'mile', 'gram', 'kilogram', 'ounce', 'pound',
  'milliliter', 'liter', 'gallon', 'celsius', 'fahrenheit', 'degree', 'kilometer-per-hour', 'mile-per-hour', 'meter-per-second'];

// Unit patterns per display and plural category, "#" for the number.
function unitData(loc) {
  const out = {};
  const cats = new Intl.PluralRules(loc).resolvedOptions().pluralCategories;
  for (const unit of UNITS) {
    const u = {};
    for (const display of ['short', 'long', 'narrow']) {
      const nf = new Intl.NumberFormat(loc, { style: 'unit', unit, unitDisplay: display });
      const e = {};
      for (const cat of cats) {
        const v = sampleFor(loc, cat);
        if (v === null) continue;
        e[cat] = nf.formatToParts(v).map((p) => (['integer', 'group', 'decimal', 'fraction'].includes(p.type) ? '#' : p.value)).join('').replace(/#+/g, '#');
      }
      // Most categories share one pattern: keep "other" and the exceptions.
      for (const c of Object.keys(e)) if (c !== 'other' && e[c] === e.other) delete e[c];
      u[display] = Object.keys(e).length === 1 ? e.other : e;
    }
    out[unit] = u;
  }
  return out;
}

function listData(loc) {
  const out = {};
  for (const type of ['conjunction', 'disjunction', 'unit']) {
    for (const style of ['long', 'short', 'narrow']) {
      const lf = new Intl.ListFormat(loc, { type, style });
      out[type + '-' + style] = [lf.format(['{0}', '{1}']), lf.format(['{0}', '{1}', '{2}']), lf.format(['{0}', '{1}', '{2}', '{3}'])];
    }
  }
  return out;
}

const data = {};
for (const loc of LOCALES) {
  const dd = dateData(loc);
  data[loc] = { number: { ...numberData(loc), compact: compactData(loc), units: unitData(loc) }, relative: relativeData(loc), list: listData(loc), date: { ...dd, patterns: datePatterns(loc, dd), times: timePatterns(loc, dd), ...styles(loc, dd), zone: zoneData(loc) } };
}
// Patterns are stored as one string, tokens separated by "|".
const isToken = (x) => x[0] === "'" || /^[EcyMLdhHkKmsSazOZ]+$/.test(x);
const packed = JSON.stringify(data, (k, v) => {
  // Name lists have 7 or 12 entries; patterns without a literal are at
  // most a few tokens long.
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string' && x !== '' && isToken(x)) &&
      (v.some((x) => x[0] === "'") || v.length <= 3)) {
    if (v.some((x) => x.includes('|'))) throw new Error('pattern with "|"');
    return v.join('|');
  }
  return v;
});
// Each locale's data is one JSON string, parsed on first use: evaluating
// a large object literal costs QuickJS tens of milliseconds at start-up,
// JSON.parse of one locale a fraction of that.
const perLocale = JSON.parse(packed);
let text = 'const LOCALE_JSON = {\n';
const quote = (j) => "'" + j.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') + "'";
for (const loc of Object.keys(perLocale)) text += `  ${JSON.stringify(loc)}: ${quote(JSON.stringify(perLocale[loc]))},\n`;
text += '};\n';
process.stdout.write(text);
