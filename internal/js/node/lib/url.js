'use strict';
// node:url: the WHATWG URL API (internal/url.js) plus Node's legacy
// url.parse/format/resolve (internal/url_legacy section below).

const {
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  fileURLToPath,
  pathToFileURL,
  urlToHttpOptions,
} = require('internal/url');

module.exports = {
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  pathToFileURL,
  fileURLToPath,
  urlToHttpOptions,
};
