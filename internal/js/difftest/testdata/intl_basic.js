// Intl and locale-sensitive methods (lib/internal/intl.js, loaded on use).
console.log((1234567.891).toLocaleString('en-US'), (0.256).toLocaleString('en-US', { style: 'percent' }));
console.log(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(1234.5));
console.log(new Date(Date.UTC(2024, 0, 15, 13, 5)).toLocaleString('en-US', { timeZone: 'UTC' }));
console.log(['b', 'a', 'C'].sort((x, y) => x.localeCompare(y)).join());
console.log(new Intl.PluralRules('en-US').select(1), new Intl.ListFormat('en', { type: 'conjunction' }).format(['a', 'b', 'c']));
