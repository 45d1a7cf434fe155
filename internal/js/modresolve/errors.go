package modresolve

import (
	"errors"
	"strings"
)

// Error codes, as Node sets them on error.code.
const (
	CodeModuleNotFound          = "MODULE_NOT_FOUND"     // require
	CodeESMModuleNotFound       = "ERR_MODULE_NOT_FOUND" // import
	CodePackagePathNotExported  = "ERR_PACKAGE_PATH_NOT_EXPORTED"
	CodePackageImportNotDefined = "ERR_PACKAGE_IMPORT_NOT_DEFINED"
	CodeInvalidPackageTarget    = "ERR_INVALID_PACKAGE_TARGET"
	CodeInvalidPackageConfig    = "ERR_INVALID_PACKAGE_CONFIG"
	CodeInvalidModuleSpecifier  = "ERR_INVALID_MODULE_SPECIFIER"
	CodeUnsupportedDirImport    = "ERR_UNSUPPORTED_DIR_IMPORT"
	CodeUnknownBuiltinModule    = "ERR_UNKNOWN_BUILTIN_MODULE"
	CodeUnsupportedESMURLScheme = "ERR_UNSUPPORTED_ESM_URL_SCHEME"
	CodeInvalidURL              = "ERR_INVALID_URL"
)

// Error is a resolution failure carrying Node's error code. Its message is
// Node's, so the runtime can throw it as is (new Error(msg) with .code).
type Error struct {
	Code string
	// Msg is the message without the require stack.
	Msg string
	// Specifier is the request that failed.
	Specifier string
	// PackageJSON is the package.json involved, when there is one (Node's
	// err.path for MODULE_NOT_FOUND raised from a package).
	PackageJSON string
	// RequireStack lists the requiring files, nearest first (Node's
	// err.requireStack). The runtime may replace it with the full chain;
	// Error() renders it for MODULE_NOT_FOUND errors that carry it.
	RequireStack []string
	// Url is set for ERR_UNSUPPORTED_DIR_IMPORT and ERR_MODULE_NOT_FOUND
	// from import (Node's err.url).
	URL string

	withStack bool
}

// JSType is the constructor Node uses for this code: "TypeError" for
// ERR_INVALID_MODULE_SPECIFIER, ERR_PACKAGE_IMPORT_NOT_DEFINED and
// ERR_INVALID_URL, "Error" for the rest.
func (e *Error) JSType() string {
	switch e.Code {
	case CodeInvalidModuleSpecifier, CodePackageImportNotDefined, CodeInvalidURL:
		return "TypeError"
	}
	return "Error"
}

func (e *Error) Error() string {
	if e.withStack && len(e.RequireStack) > 0 {
		return e.Msg + "\nRequire stack:\n- " + strings.Join(e.RequireStack, "\n- ")
	}
	return e.Msg
}

// HasCode reports whether err is a resolution *Error with the given code.
func HasCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

func notFoundRequire(request string, stack []string) *Error {
	return &Error{Code: CodeModuleNotFound, Msg: "Cannot find module '" + request + "'", Specifier: request, RequireStack: stack, withStack: true}
}
