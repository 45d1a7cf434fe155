'use strict';
// internal/intl against Node's own Intl (ICU), over tables of locales,
// options and values: NumberFormat, DateTimeFormat (UTC, local zones set
// through process.env.TZ, and named zones through the timeZoneOffset host
// hook), Collator, PluralRules, RelativeTimeFormat, ListFormat, and the
// built-in hooks (toLocaleString & co.) installed into a fresh vm realm.
const t = require('../t.js');
const vm = require('vm');

const mod = t.lib('internal/intl');
const real = t.gnode ? null : globalThis.Intl;

// timeZoneOffset is the host hook a runtime provides for named zones; here
// it is computed with Node's Intl.
function timeZoneOffset(zone, ms) {
  try {
    const p = new real.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(ms);
    const z = p.find((x) => x.type === 'timeZoneName').value;
    const m = /GMT([+-])(\d\d):(\d\d)/.exec(z);
    return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  } catch {
    return undefined;
  }
}
const canonicalZone = (z) => new real.DateTimeFormat('en', { timeZone: z }).resolvedOptions().timeZone;
const mine = () => mod.createIntl({ timeZone: process.env.TZ || 'UTC', timeZoneOffset, canonicalZone });

function run(fn, I) {
  try {
    return t.show(fn(I));
  } catch (e) {
    return `throws ${e.constructor.name}`;
  }
}

let compared = 0;
function cmp(label, fn, I = mine()) {
  if (!real) return;
  compared++;
  const got = run(fn, I);
  const want = run(fn, real);
  t.same(label, got, want);
}

const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP'];

// ---- NumberFormat
const NUMBERS = [0, -0, 1, -1, 0.5, 1.005, 2.5, 1234, 12345.678, -1234567.891, 999.9995, 0.000123, 1.5e-7,
  1e21, 123456789.125, 2 ** 53, NaN, Infinity, -Infinity, 99999, 999999, 1499, 1500, 0.045, 10n ** 25n, -42n, '1234.5'];
const NUMBER_OPTIONS = [
  {}, { maximumFractionDigits: 0 }, { minimumFractionDigits: 2 }, { minimumFractionDigits: 1, maximumFractionDigits: 1 },
  { useGrouping: false }, { useGrouping: 'always' }, { useGrouping: 'min2' }, { style: 'percent' },
  { style: 'percent', maximumFractionDigits: 2 }, { maximumSignificantDigits: 3 }, { minimumSignificantDigits: 3 },
  { minimumIntegerDigits: 3 }, { signDisplay: 'always' }, { signDisplay: 'exceptZero' }, { signDisplay: 'never' },
  { signDisplay: 'negative' }, { notation: 'compact' }, { notation: 'compact', compactDisplay: 'long' },
  { minimumFractionDigits: 2, trailingZeroDisplay: 'stripIfInteger' },
  { maximumSignificantDigits: 2, maximumFractionDigits: 3, roundingPriority: 'morePrecision' },
];
for (const c of ['USD', 'EUR', 'GBP', 'JPY', 'CHF']) {
  NUMBER_OPTIONS.push({ style: 'currency', currency: c });
  NUMBER_OPTIONS.push({ style: 'currency', currency: c, currencyDisplay: 'code' });
  NUMBER_OPTIONS.push({ style: 'currency', currency: c, currencyDisplay: 'narrowSymbol' });
}
NUMBER_OPTIONS.push({ style: 'currency', currency: 'USD', currencySign: 'accounting' });
for (const unit of ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'millisecond', 'second', 'hour', 'day', 'percent', 'kilometer', 'celsius', 'kilometer-per-hour', 'mile', 'liter']) {
  for (const unitDisplay of ['short', 'long', 'narrow']) NUMBER_OPTIONS.push({ style: 'unit', unit, unitDisplay });
}
NUMBER_OPTIONS.push({ style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

for (const loc of LOCALES) {
  for (const o of NUMBER_OPTIONS) {
    const label = `NumberFormat ${loc} ${JSON.stringify(o)}`;
    cmp(`${label} resolvedOptions`, (I) => new I.NumberFormat(loc, o).resolvedOptions());
    for (const x of NUMBERS) {
      if (typeof x === 'bigint' && o.notation === 'compact') continue;
      cmp(`${label} format(${typeof x === 'bigint' ? x + 'n' : t.show(x)})`, (I) => new I.NumberFormat(loc, o).format(x));
    }
    cmp(`${label} formatToParts`, (I) => new I.NumberFormat(loc, o).formatToParts(-12345.675));
  }
}
// Regions without data (de-AT, fr-CA) resolve to the language's data: a
// documented difference, so they are not compared here.
for (const loc of [undefined, 'en', 'de', 'xx', ['xx', 'fr'], 'en-US-u-nu-latn', 'EN-us']) {
  cmp(`NumberFormat locale ${t.show(loc)}`, (I) => [new I.NumberFormat(loc).resolvedOptions().locale, new I.NumberFormat(loc).format(1234.5)]);
}
for (const [l, o] of [['en_US', {}], ['en', { style: 'currency' }], ['en', { style: 'currency', currency: 'US' }],
  ['en', { maximumFractionDigits: 101 }], ['en', { style: 'unit' }], ['en', { style: 'unit', unit: 'Byte' }], ['en', { minimumFractionDigits: 3, maximumFractionDigits: 1 }], ['en', { style: 'bogus' }]]) {
  cmp(`NumberFormat error ${l} ${JSON.stringify(o)}`, (I) => new I.NumberFormat(l, o));
}
// Random values (a fixed-seed PRNG, so failures reproduce) across
// magnitudes, against a few option sets.
let seed = 20261125;
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const RANDOM_OPTIONS = [{}, { style: 'percent', maximumFractionDigits: 1 }, { style: 'currency', currency: 'EUR' },
  { notation: 'compact' }, { maximumSignificantDigits: 4 }, { minimumFractionDigits: 3 }];
for (let i = 0; i < 600; i++) {
  const mag = Math.floor(rnd() * 30) - 10;
  let x = (rnd() - 0.3) * 10 ** mag;
  if (i % 5 === 0) x = Math.round(x * 1000) / 1000;
  const loc = LOCALES[i % LOCALES.length];
  const o = RANDOM_OPTIONS[i % RANDOM_OPTIONS.length];
  cmp(`NumberFormat random ${loc} ${JSON.stringify(o)} ${x}`, (I) => new I.NumberFormat(loc, o).format(x));
}
cmp('NumberFormat format is bound', (I) => [1, 22, 333].map(new I.NumberFormat('de').format));
cmp('NumberFormat supportedLocalesOf', (I) => I.NumberFormat.supportedLocalesOf(['de-DE', 'xx', 'ja', 'en-GB']));

// ---- DateTimeFormat, in UTC
const DATES = [Date.UTC(2026, 2, 4, 21, 5, 7, 123), Date.UTC(2000, 0, 1, 0, 0, 0), Date.UTC(1999, 11, 31, 12, 30, 59, 999),
  Date.UTC(2024, 1, 29, 9, 3, 1, 5), Date.UTC(2026, 10, 25, 13, 0, 0), 0];
const DATE_OPTIONS = [{}];
for (const ds of [undefined, 'full', 'long', 'medium', 'short']) {
  for (const ts of [undefined, 'full', 'long', 'medium', 'short']) {
    if (ds || ts) DATE_OPTIONS.push({ dateStyle: ds, timeStyle: ts });
  }
}
DATE_OPTIONS.push(
  { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  { weekday: 'short', month: 'short', day: 'numeric' },
  { weekday: 'narrow' }, { weekday: 'long' }, { year: 'numeric' }, { month: 'long' }, { month: 'short', year: 'numeric' },
  { year: 'numeric', month: '2-digit', day: '2-digit' }, { year: '2-digit', month: 'numeric', day: 'numeric' },
  { month: 'numeric', day: 'numeric' }, { month: 'long', day: 'numeric' }, { year: 'numeric', month: 'narrow' },
  { hour: 'numeric' }, { hour: '2-digit', minute: '2-digit' }, { hour: 'numeric', minute: '2-digit', hour12: true },
  { hour: 'numeric', minute: '2-digit', hour12: false }, { hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' },
  { hour: 'numeric', hourCycle: 'h11' }, { minute: 'numeric', second: 'numeric' }, { second: 'numeric' },
  { hour: 'numeric', minute: 'numeric', second: 'numeric', fractionalSecondDigits: 3 },
  { hour: 'numeric', minute: 'numeric', timeZoneName: 'short' }, { hour: 'numeric', minute: 'numeric', timeZoneName: 'long' },
  { hour: 'numeric', timeZoneName: 'shortOffset' }, { hour: 'numeric', timeZoneName: 'longOffset' },
  { hour: 'numeric', timeZoneName: 'shortGeneric' }, { hour: 'numeric', timeZoneName: 'longGeneric' },
  { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: 'numeric' },
  { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: 'numeric' },
  { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hour12: false },
  { month: 'short', day: 'numeric', hour: 'numeric' },
  { dateStyle: 'medium', timeStyle: 'short', hour12: true }, { timeStyle: 'short', hourCycle: 'h23' },
);
for (const loc of LOCALES) {
  for (const o0 of DATE_OPTIONS) {
    const o = { ...o0, timeZone: 'UTC' };
    const label = `DateTimeFormat ${loc} ${JSON.stringify(o0)}`;
    cmp(`${label} resolvedOptions`, (I) => new I.DateTimeFormat(loc, o).resolvedOptions());
    for (const d of DATES) cmp(`${label} format(${new Date(d).toISOString()})`, (I) => new I.DateTimeFormat(loc, o).format(d));
    cmp(`${label} formatToParts`, (I) => new I.DateTimeFormat(loc, o).formatToParts(DATES[0]));
  }
}
for (const [l, o] of [['en', { dateStyle: 'short', month: 'long' }], ['en', { timeZone: 'Nowhere/Land' }], ['en', { month: 'longer' }],
  ['en', { timeZone: 'utc' }], ['en', { timeZone: 'Etc/UTC' }], ['en', { timeZone: 'GMT' }]]) {
  cmp(`DateTimeFormat options ${JSON.stringify(o)}`, (I) => new I.DateTimeFormat(l, o).resolvedOptions().timeZone);
}
for (const loc of LOCALES) {
  cmp(`DateTimeFormat formatRange ${loc}`, (I) => {
    const f = new I.DateTimeFormat(loc, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' });
    return [f.formatRange(DATES[1], DATES[1]), f.formatRange(Date.UTC(2026, 0, 5, 10), Date.UTC(2027, 1, 7, 10))];
  });
}
cmp('DateTimeFormat invalid date', (I) => new I.DateTimeFormat('en', { timeZone: 'UTC' }).format(NaN));
cmp('DateTimeFormat Date argument', (I) => new I.DateTimeFormat('en', { timeZone: 'UTC' }).format(new Date(DATES[0])));

// Named zones through the host's offset hook, with their names (summer
// and winter dates in both hemispheres), and zones without names in
// gnode's table (offset formats only).
const ZONE_DATES = [...DATES, Date.UTC(2026, 6, 15, 12), Date.UTC(2026, 0, 15, 12), Date.UTC(2026, 2, 29, 0, 30), Date.UTC(2026, 9, 25, 1, 30)];
for (const zone of ['America/New_York', 'America/Los_Angeles', 'Asia/Kolkata', 'Europe/Berlin', 'Europe/London', 'Australia/Sydney', 'Asia/Tokyo', 'America/Sao_Paulo', 'Pacific/Chatham', 'America/St_Johns']) {
  for (const loc of LOCALES) {
    for (const d of ZONE_DATES) {
      cmp(`zone ${zone} ${loc} ${d}`, (I) => new I.DateTimeFormat(loc, { timeZone: zone, dateStyle: 'medium', timeStyle: 'medium' }).format(d));
      for (const timeZoneName of ['short', 'long', 'shortOffset', 'longOffset', 'shortGeneric', 'longGeneric']) {
        // gnode's zone names describe the zones' current rules; for past
        // rules (the UK on GMT+1 all year in 1970, Brazil's former summer
        // time) ICU knows better, so names are compared from 2001 on.
        if (d < 1e12 && timeZoneName !== 'shortOffset' && timeZoneName !== 'longOffset') continue;
        if (zone === 'Pacific/Chatham' || zone === 'America/St_Johns') {
          if (timeZoneName !== 'shortOffset' && timeZoneName !== 'longOffset') continue;
        }
        cmp(`zone ${zone} ${loc} ${d} ${timeZoneName}`, (I) => new I.DateTimeFormat(loc, { timeZone: zone, hour: 'numeric', timeZoneName }).format(d));
      }
    }
    // Chatham and St. John's are outside gnode's zone-name table: only
    // their offsets are compared.
    if (zone !== 'Pacific/Chatham' && zone !== 'America/St_Johns') cmp(`zone ${zone} ${loc} full`, (I) => new I.DateTimeFormat(loc, { timeZone: zone, dateStyle: 'full', timeStyle: 'full' }).format(ZONE_DATES[6]));
    cmp(`zone ${zone} ${loc} resolved`, (I) => new I.DateTimeFormat(loc, { timeZone: zone }).resolvedOptions().timeZone);
  }
}

// Without the host hook, intl.js knows the current rules of 43 common
// zones: compare their offsets with ICU every 13 hours over 2024-2027.
if (real) {
  const bare = mod.createIntl({ timeZone: 'UTC' });
  const RULE_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage',
    'Pacific/Honolulu', 'America/Toronto', 'America/Vancouver', 'America/Mexico_City', 'America/Sao_Paulo', 'America/Argentina/Buenos_Aires',
    'Europe/London', 'Europe/Dublin', 'Europe/Lisbon', 'Europe/Paris', 'Europe/Berlin', 'Europe/Madrid', 'Europe/Rome', 'Europe/Amsterdam',
    'Europe/Brussels', 'Europe/Zurich', 'Europe/Stockholm', 'Europe/Warsaw', 'Europe/Athens', 'Europe/Helsinki', 'Europe/Moscow',
    'Europe/Istanbul', 'Africa/Cairo', 'Africa/Johannesburg', 'Africa/Lagos', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Shanghai', 'Asia/Hong_Kong',
    'Asia/Singapore', 'Asia/Tokyo', 'Asia/Seoul', 'Asia/Jakarta', 'Australia/Sydney', 'Australia/Melbourne', 'Australia/Perth', 'Pacific/Auckland'];
  for (const zone of RULE_ZONES) {
    const o = { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', timeZoneName: 'longOffset' };
    const a = new bare.DateTimeFormat('en-US', o);
    const b = new real.DateTimeFormat('en-US', o);
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 13 * 3600e3) {
      compared++;
      t.same(`zone rules ${zone} ${new Date(ms).toISOString()}`, a.format(ms), b.format(ms));
    }
    compared++;
    t.same(`zone rules ${zone} resolved`, a.resolvedOptions().timeZone, b.resolvedOptions().timeZone);
  }
}

// ---- The built-in hooks, in a fresh realm, in several local zones.
for (const tz of ['UTC', 'Asia/Kolkata', 'America/New_York', 'Europe/London', 'Australia/Sydney']) {
  process.env.TZ = tz;
  const ctx = vm.createContext({});
  mod.install(vm.runInContext('this', ctx), { timeZone: tz, canonicalZone });
  const inRealm = (code) => vm.runInContext(code, ctx);
  const snippets = [];
  for (const d of DATES) {
    for (const loc of ['undefined', "'en-US'", "'en-GB'", "'de-DE'", "'fr-FR'", "'es-ES'", "'ja-JP'"]) {
      snippets.push(`new Date(${d}).toLocaleString(${loc})`, `new Date(${d}).toLocaleDateString(${loc})`,
        `new Date(${d}).toLocaleTimeString(${loc})`, `new Date(${d}).toLocaleDateString(${loc}, { month: 'long', day: 'numeric', year: 'numeric' })`,
        `new Date(${d}).toLocaleTimeString(${loc}, { hour: '2-digit', minute: '2-digit' })`,
        `new Intl.DateTimeFormat(${loc}).resolvedOptions().timeZone`,
        ...(d >= 1e12 ? [`new Date(${d}).toLocaleTimeString(${loc}, { timeZoneName: 'short' })`,
          `new Date(${d}).toLocaleString(${loc}, { timeStyle: 'full' })`] : []));
    }
  }
  snippets.push('new Date(NaN).toLocaleString()', 'new Date(NaN).toLocaleDateString("de")');
  for (const x of ['1234.5', '-0.5', '1e21', 'NaN', '123456789n', '0']) {
    for (const loc of ['', "'de-DE'", "'fr-FR'", "'ja-JP'", "'es-ES'"]) {
      snippets.push(`(${x}).toLocaleString(${loc})`, `(${x}).toLocaleString(${loc || 'undefined'}, { style: 'currency', currency: 'EUR' })`);
    }
  }
  for (const [a, b] of [['a', 'b'], ['b', 'a'], ['a', 'A'], ['résumé', 'resume'], ['ñ', 'o'], ['10', '9'], ['a', 'a']]) {
    snippets.push(`'${a}'.localeCompare('${b}')`, `'${a}'.localeCompare('${b}', 'es')`, `'${a}'.localeCompare('${b}', undefined, { sensitivity: 'base' })`, `'${a}'.localeCompare('${b}', undefined, { numeric: true })`);
  }
  for (const s of snippets) {
    if (!real) break;
    compared++;
    let got;
    let want;
    try { got = t.show(inRealm(s)); } catch (e) { got = 'throws ' + e.name; }
    try { want = t.show(vm.runInThisContext(s)); } catch (e) { want = 'throws ' + e.name; }
    t.same(`TZ=${tz} ${s}`, got, want);
  }
}
process.env.TZ = 'UTC';

// ---- Collator
const WORDS = ['a', 'A', 'á', 'Á', 'b', 'B', 'ab', 'aB', 'Ab', 'a-b', 'a b', 'ab1', 'ab10', 'ab2', 'résumé', 'resume', 'Resume',
  'ñ', 'n', 'o', 'z', 'Z', '1', '10', '2', '_x', 'x_', 'é', 'e', 'E', 'ä', 'ae', 'Äpfel', 'apfel', 'zebra', 'Zebra', 'ñu', 'nu', 'oz',
  'file10.txt', 'file9.txt', 'File1.txt', '', ' ', 'a.b', 'a,b', 'co-op', 'coop', 'Ölfass', 'ol', 'ça', 'ca', 'cz'];
for (const loc of ['en', 'de', 'fr', 'es']) {
  for (const o of [{}, { sensitivity: 'base' }, { sensitivity: 'accent' }, { sensitivity: 'case' }, { numeric: true }, { caseFirst: 'upper' }, { ignorePunctuation: true }]) {
    cmp(`Collator ${loc} ${JSON.stringify(o)} sort`, (I) => WORDS.slice().sort(new I.Collator(loc, o).compare));
    cmp(`Collator ${loc} ${JSON.stringify(o)} resolvedOptions`, (I) => new I.Collator(loc, o).resolvedOptions());
    for (let i = 0; i < WORDS.length; i += 3) {
      for (let j = 1; j < WORDS.length; j += 4) {
        cmp(`Collator ${loc} ${JSON.stringify(o)} compare(${WORDS[i]}, ${WORDS[j]})`, (I) => Math.sign(new I.Collator(loc, o).compare(WORDS[i], WORDS[j])));
      }
    }
  }
}

// ---- PluralRules
for (const loc of LOCALES) {
  for (const o of [{}, { type: 'ordinal' }, { minimumFractionDigits: 1 }, { maximumFractionDigits: 0 }]) {
    cmp(`PluralRules ${loc} ${JSON.stringify(o)} resolvedOptions`, (I) => new I.PluralRules(loc, o).resolvedOptions());
    for (const n of [0, 1, 2, 3, 4, 5, 11, 12, 13, 21, 22, 23, 101, 111, 1.5, 0.5, 1.0, 1000000, 2000000, 1e6 + 1, -1, -2]) {
      cmp(`PluralRules ${loc} ${JSON.stringify(o)} select(${n})`, (I) => new I.PluralRules(loc, o).select(n));
    }
  }
}

// ---- RelativeTimeFormat
for (const loc of LOCALES) {
  for (const o of [{}, { numeric: 'auto' }, { style: 'short' }, { style: 'narrow', numeric: 'auto' }]) {
    cmp(`RelativeTimeFormat ${loc} ${JSON.stringify(o)} resolvedOptions`, (I) => new I.RelativeTimeFormat(loc, o).resolvedOptions());
    for (const unit of ['second', 'minutes', 'hour', 'day', 'week', 'month', 'quarter', 'year']) {
      for (const v of [-2, -1, -0, 0, 1, 2, 1.5, -10, 1000, 1000000]) {
        cmp(`RelativeTimeFormat ${loc} ${JSON.stringify(o)} ${v} ${unit}`, (I) => new I.RelativeTimeFormat(loc, o).format(v, unit));
      }
    }
    cmp(`RelativeTimeFormat ${loc} parts`, (I) => new I.RelativeTimeFormat(loc, o).formatToParts(-1234.5, 'day'));
  }
}
cmp('RelativeTimeFormat bad unit', (I) => new I.RelativeTimeFormat('en').format(1, 'fortnight'));

// ---- ListFormat
for (const loc of LOCALES) {
  for (const type of ['conjunction', 'disjunction', 'unit']) {
    for (const style of ['long', 'short', 'narrow']) {
      for (let n = 0; n <= 5; n++) {
        const list = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].slice(0, n);
        cmp(`ListFormat ${loc} ${type} ${style} ${n}`, (I) => new I.ListFormat(loc, { type, style }).format(list));
      }
    }
  }
}

for (let i = 0; i < 600; i++) {
  const ms = Math.floor((rnd() - 0.3) * 6e12);
  const loc = LOCALES[i % LOCALES.length];
  const o = DATE_OPTIONS[Math.floor(rnd() * DATE_OPTIONS.length)];
  cmp(`DateTimeFormat random ${loc} ${JSON.stringify(o)} ${ms}`, (I) => new I.DateTimeFormat(loc, { ...o, timeZone: 'UTC' }).format(ms));
}
for (const tag of ['en-US-u-hc-h23', 'de-DE-u-hc-h12', 'ja-JP-u-nu-latn']) {
  cmp(`DateTimeFormat ${tag}`, (I) => { const f = new I.DateTimeFormat(tag, { timeZone: 'UTC', hour: 'numeric', minute: 'numeric' }); return [f.format(DATES[0]), f.resolvedOptions().locale]; });
}

// ---- Segmenter
const GRAPHEME_STRINGS = ['abc', 'e\u0301x', '👨‍👩‍👧‍👦!', '🇫🇷🇩🇪🇺', '👍🏽ok', '\r\n\n', '한국어', '\u1100\u1161\u11A8x', 'नमस्ते',
  'ก่อน', '🏳️‍🌈', 'a\u200db', '1️⃣', '🫶🏻', 'क्ष', 'স্ত্রী', 'ப்ப', '', 'x\u0300\u0301\u0302', '\u0000\u0007a', '🧑🏽‍💻 done'];
// Random strings over tricky code points (fixed seed).
const POOL = ['a', 'Z', ' ', '\r', '\n', '\u0301', '\u200d', '\ufe0f', '👍', '🏽', '🇫', '🇷', '한', '\u1100', '\u1161', '\u11a8', 'क', '\u094d', 'ष', '\u0e48', 'ก', '.', "'", '1', '_', '-', 'é', '東', 'カ', '\t'];
for (let i = 0; i < 600; i++) {
  let str = '';
  const n = 1 + Math.floor(rnd() * 10);
  for (let k = 0; k < n; k++) str += POOL[Math.floor(rnd() * POOL.length)];
  GRAPHEME_STRINGS.push(str);
}
for (const str of GRAPHEME_STRINGS) {
  cmp(`Segmenter grapheme ${JSON.stringify(str)}`, (I) => [...new I.Segmenter('en').segment(str)].map((x) => [x.segment, x.index]));
}
const WORD_STRINGS = ["Hello, world! It's 3.14 e-mail don't café", 'a_b c__d  x\ty', 'foo.bar 1,000,000 a:b 3:30 U.S.A.', 'Straße über-all Grüße',
  'l’homme aujourd’hui', 'x 👍🏽 y', 'line1\nline2\r\n\r\nend', '"quoted" (paren) [b]', 'v1.2.3-beta_4 #tag @user', '12.5% $3.99 -7',
  "rock'n'roll 'quote'", 'camelCase snake_case kebab-case', 'a.b.c 1.2.3 a1b2 2nd', 'ÀÉÎõü ñandú', 'x  y   z'];
for (const loc of ['en', 'de', 'fr']) {
  for (const str of WORD_STRINGS) {
    cmp(`Segmenter word ${loc} ${JSON.stringify(str)}`, (I) => [...new I.Segmenter(loc, { granularity: 'word' }).segment(str)].map((x) => [x.segment, x.index, x.isWordLike]));
  }
}
const SENTENCE_STRINGS = ['Hi there. How are you? Fine! Mr. Smith e.g. ok.', 'He said "Stop." Then left.', 'U.S.A. is big. 3.14 is pi.',
  'Wait... what?! No way.', 'Line one\nLine two.\n\nPara.', 'Ends without period', '(This is it.) Next one.', 'Hello.World', 'a. b. C. d',
  'Done.  Two spaces.', 'Q? a', 'Is it 5.0? Yes.', 'Der Hund. Die Katze! Ça va? Oui.', 'A.B.C. Next', 'end.)'];
for (const str of SENTENCE_STRINGS) {
  cmp(`Segmenter sentence ${JSON.stringify(str)}`, (I) => [...new I.Segmenter('en', { granularity: 'sentence' }).segment(str)].map((x) => [x.segment, x.index]));
}
cmp('Segmenter containing', (I) => { const s = new I.Segmenter('en', { granularity: 'word' }).segment('Hi, you!'); return [0, 2, 4, 7, 8, -1, 1.5].map((i) => s.containing(i)); });
cmp('Segmenter resolvedOptions', (I) => [new I.Segmenter().resolvedOptions(), new I.Segmenter('de', { granularity: 'word' }).resolvedOptions()]);
cmp('Segmenter bad granularity', (I) => new I.Segmenter('en', { granularity: 'line' }));

cmp('getCanonicalLocales', (I) => I.getCanonicalLocales(['EN-us', 'de', 'en-US']));
cmp('toStringTag', (I) => [Object.prototype.toString.call(I), Object.prototype.toString.call(new I.NumberFormat())]);

if (real) console.log(`intl: ${compared} comparisons with node's Intl`);
