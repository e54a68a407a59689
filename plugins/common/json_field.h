/*
 * json_field.h: read one top-level member of a JSON object, in plain C99.
 *
 * Tool arguments and plugin settings are flat JSON objects; a plugin that needs a string or
 * an integer out of one should not have to carry a JSON library. These functions validate the
 * whole text as one JSON object (nested values are checked and skipped) and decode the named
 * member. If a key appears twice the last one wins, as in most JSON parsers. A member whose
 * value is null counts as absent.
 */
#ifndef MCPH_PLUGINS_JSON_FIELD_H
#define MCPH_PLUGINS_JSON_FIELD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum json_field_status {
    JSON_FIELD_OK = 0,
    JSON_FIELD_MISSING,      /* no such member, or its value is null */
    JSON_FIELD_WRONG_TYPE,   /* present but not of the asked type */
    JSON_FIELD_OUT_OF_RANGE, /* an integer that does not fit in int64_t */
    JSON_FIELD_MALFORMED,    /* the text is not one well-formed JSON object */
    JSON_FIELD_NO_MEMORY
} json_field_status;

/* Decode the string member `key` of the object in json[0..len). On JSON_FIELD_OK, *out is a
 * malloc'd, NUL-terminated UTF-8 copy (free it) and *out_len its length, which may be less
 * than strlen when the text holds \u0000. Escapes are decoded, surrogate pairs become one
 * code point, and a lone surrogate becomes U+FFFD so the output is always valid UTF-8 when
 * the input is. */
json_field_status json_field_string(const char* json, size_t len, const char* key, char** out,
                                    size_t* out_len);

/* Read the integer member `key`. A number with a fraction or an exponent is
 * JSON_FIELD_WRONG_TYPE, even 1.0: callers ask for counts and ids. */
json_field_status json_field_int(const char* json, size_t len, const char* key, int64_t* out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCPH_PLUGINS_JSON_FIELD_H */
