/*
 * json_field.c: a validating scanner for one JSON object (RFC 8259) that decodes one member.
 * Recursive descent over a cursor; nothing is allocated except the decoded string.
 */
#include "json_field.h"

#include <stdlib.h>
#include <string.h>

/* Nesting deeper than this is refused rather than risking the stack on hostile input. */
#define MAX_DEPTH 64

typedef struct cursor {
    const char* p;
    const char* end;
} cursor;

/* Where decoded string bytes go: stored into `out`, compared against `expect`, or only
 * counted (both NULL). */
typedef struct sink {
    char* out;
    const char* expect;
    size_t expect_len;
    size_t len;
    int differs;
} sink;

static void sink_put(sink* s, unsigned char byte) {
    if (s->expect != NULL) {
        if (s->len >= s->expect_len || (unsigned char)s->expect[s->len] != byte) {
            s->differs = 1;
        }
    } else if (s->out != NULL) {
        s->out[s->len] = (char)byte;
    }
    s->len++;
}

static void sink_put_code_point(sink* s, uint32_t cp) {
    if (cp < 0x80) {
        sink_put(s, (unsigned char)cp);
    } else if (cp < 0x800) {
        sink_put(s, (unsigned char)(0xC0 | (cp >> 6)));
        sink_put(s, (unsigned char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        sink_put(s, (unsigned char)(0xE0 | (cp >> 12)));
        sink_put(s, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        sink_put(s, (unsigned char)(0x80 | (cp & 0x3F)));
    } else {
        sink_put(s, (unsigned char)(0xF0 | (cp >> 18)));
        sink_put(s, (unsigned char)(0x80 | ((cp >> 12) & 0x3F)));
        sink_put(s, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        sink_put(s, (unsigned char)(0x80 | (cp & 0x3F)));
    }
}

static void skip_whitespace(cursor* c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) {
        c->p++;
    }
}

static int at(const cursor* c, char ch) { return c->p < c->end && *c->p == ch; }

static int is_digit(const cursor* c) { return c->p < c->end && *c->p >= '0' && *c->p <= '9'; }

/* Four hex digits after "\u"; advances past them. */
static int read_hex4(cursor* c, uint32_t* out) {
    uint32_t value = 0;
    int i;
    if (c->end - c->p < 4) {
        return 0;
    }
    for (i = 0; i < 4; i++) {
        char ch = c->p[i];
        uint32_t digit;
        if (ch >= '0' && ch <= '9') {
            digit = (uint32_t)(ch - '0');
        } else if (ch >= 'a' && ch <= 'f') {
            digit = (uint32_t)(ch - 'a' + 10);
        } else if (ch >= 'A' && ch <= 'F') {
            digit = (uint32_t)(ch - 'A' + 10);
        } else {
            return 0;
        }
        value = (value << 4) | digit;
    }
    c->p += 4;
    *out = value;
    return 1;
}

/* The code point of a "\uXXXX" escape (cursor just past the 'u'), joining a surrogate pair
 * when a low surrogate escape follows a high one. */
static int read_unicode_escape(cursor* c, uint32_t* cp) {
    uint32_t unit;
    if (!read_hex4(c, &unit)) {
        return 0;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
        cursor look = *c;
        uint32_t low;
        if (look.end - look.p >= 6 && look.p[0] == '\\' && look.p[1] == 'u') {
            look.p += 2;
            if (read_hex4(&look, &low) && low >= 0xDC00 && low <= 0xDFFF) {
                *c = look;
                *cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                return 1;
            }
        }
        *cp = 0xFFFD; /* a high surrogate with no low one after it */
        return 1;
    }
    *cp = (unit >= 0xDC00 && unit <= 0xDFFF) ? 0xFFFD : unit;
    return 1;
}

/* A string starting at the opening quote; decoded bytes go to `s`. */
static int scan_string(cursor* c, sink* s) {
    c->p++; /* the opening quote */
    while (c->p < c->end) {
        unsigned char ch = (unsigned char)*c->p++;
        if (ch == '"') {
            return 1;
        }
        if (ch < 0x20) {
            return 0; /* control characters must be escaped */
        }
        if (ch != '\\') {
            sink_put(s, ch);
            continue;
        }
        if (c->p >= c->end) {
            return 0;
        }
        switch (*c->p++) {
            case '"':
                sink_put(s, '"');
                break;
            case '\\':
                sink_put(s, '\\');
                break;
            case '/':
                sink_put(s, '/');
                break;
            case 'b':
                sink_put(s, '\b');
                break;
            case 'f':
                sink_put(s, '\f');
                break;
            case 'n':
                sink_put(s, '\n');
                break;
            case 'r':
                sink_put(s, '\r');
                break;
            case 't':
                sink_put(s, '\t');
                break;
            case 'u': {
                uint32_t cp;
                if (!read_unicode_escape(c, &cp)) {
                    return 0;
                }
                sink_put_code_point(s, cp);
                break;
            }
            default:
                return 0;
        }
    }
    return 0; /* unterminated */
}

static int scan_literal(cursor* c, const char* word) {
    size_t n = strlen(word);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0) {
        return 0;
    }
    c->p += n;
    return 1;
}

/* -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?  Sets *integral when neither the fraction
 * nor the exponent is present. */
static int scan_number(cursor* c, int* integral) {
    *integral = 1;
    if (at(c, '-')) {
        c->p++;
    }
    if (at(c, '0')) {
        c->p++;
    } else if (is_digit(c)) {
        while (is_digit(c)) {
            c->p++;
        }
    } else {
        return 0;
    }
    if (at(c, '.')) {
        c->p++;
        *integral = 0;
        if (!is_digit(c)) {
            return 0;
        }
        while (is_digit(c)) {
            c->p++;
        }
    }
    if (at(c, 'e') || at(c, 'E')) {
        c->p++;
        *integral = 0;
        if (at(c, '+') || at(c, '-')) {
            c->p++;
        }
        if (!is_digit(c)) {
            return 0;
        }
        while (is_digit(c)) {
            c->p++;
        }
    }
    return 1;
}

static int scan_value(cursor* c, int depth);

/* An object or array starting at its opening bracket. */
static int scan_container(cursor* c, int depth) {
    char close = *c->p == '{' ? '}' : ']';
    int is_object = close == '}';
    if (depth > MAX_DEPTH) {
        return 0;
    }
    c->p++;
    skip_whitespace(c);
    if (at(c, close)) {
        c->p++;
        return 1;
    }
    for (;;) {
        skip_whitespace(c);
        if (is_object) {
            sink ignore = {NULL, NULL, 0, 0, 0};
            if (!at(c, '"') || !scan_string(c, &ignore)) {
                return 0;
            }
            skip_whitespace(c);
            if (!at(c, ':')) {
                return 0;
            }
            c->p++;
            skip_whitespace(c);
        }
        if (!scan_value(c, depth + 1)) {
            return 0;
        }
        skip_whitespace(c);
        if (at(c, ',')) {
            c->p++;
        } else if (at(c, close)) {
            c->p++;
            return 1;
        } else {
            return 0;
        }
    }
}

static int scan_value(cursor* c, int depth) {
    int integral;
    sink ignore = {NULL, NULL, 0, 0, 0};
    if (c->p >= c->end) {
        return 0;
    }
    switch (*c->p) {
        case '{':
        case '[':
            return scan_container(c, depth);
        case '"':
            return scan_string(c, &ignore);
        case 't':
            return scan_literal(c, "true");
        case 'f':
            return scan_literal(c, "false");
        case 'n':
            return scan_literal(c, "null");
        default:
            return scan_number(c, &integral);
    }
}

/* Validates the whole object and leaves *value at the start of the last member named `key`. */
static json_field_status find_member(const char* json, size_t len, const char* key, cursor* value) {
    cursor c;
    int found = 0;
    if (json == NULL || key == NULL) {
        return JSON_FIELD_MALFORMED;
    }
    c.p = json;
    c.end = json + len;
    skip_whitespace(&c);
    if (!at(&c, '{')) {
        return JSON_FIELD_MALFORMED;
    }
    c.p++;
    skip_whitespace(&c);
    if (at(&c, '}')) {
        c.p++;
    } else {
        for (;;) {
            sink name = {NULL, key, strlen(key), 0, 0};
            skip_whitespace(&c);
            if (!at(&c, '"') || !scan_string(&c, &name)) {
                return JSON_FIELD_MALFORMED;
            }
            skip_whitespace(&c);
            if (!at(&c, ':')) {
                return JSON_FIELD_MALFORMED;
            }
            c.p++;
            skip_whitespace(&c);
            if (!name.differs && name.len == name.expect_len) {
                found = 1;
                *value = c;
            }
            if (!scan_value(&c, 1)) {
                return JSON_FIELD_MALFORMED;
            }
            skip_whitespace(&c);
            if (at(&c, ',')) {
                c.p++;
            } else if (at(&c, '}')) {
                c.p++;
                break;
            } else {
                return JSON_FIELD_MALFORMED;
            }
        }
    }
    skip_whitespace(&c);
    if (c.p != c.end) {
        return JSON_FIELD_MALFORMED; /* trailing text after the object */
    }
    return found ? JSON_FIELD_OK : JSON_FIELD_MISSING;
}

json_field_status json_field_string(const char* json, size_t len, const char* key, char** out,
                                    size_t* out_len) {
    cursor value;
    sink measure = {NULL, NULL, 0, 0, 0};
    sink store = {NULL, NULL, 0, 0, 0};
    cursor again;
    json_field_status status = find_member(json, len, key, &value);
    if (status != JSON_FIELD_OK) {
        return status;
    }
    if (at(&value, 'n')) {
        return JSON_FIELD_MISSING;
    }
    if (!at(&value, '"')) {
        return JSON_FIELD_WRONG_TYPE;
    }
    again = value;
    scan_string(&value, &measure); /* already validated by find_member */
    store.out = (char*)malloc(measure.len + 1);
    if (store.out == NULL) {
        return JSON_FIELD_NO_MEMORY;
    }
    scan_string(&again, &store);
    store.out[store.len] = '\0';
    *out = store.out;
    *out_len = store.len;
    return JSON_FIELD_OK;
}

json_field_status json_field_int(const char* json, size_t len, const char* key, int64_t* out) {
    cursor value;
    int integral;
    int negative;
    uint64_t magnitude = 0;
    const uint64_t limit = (uint64_t)INT64_MAX;
    json_field_status status = find_member(json, len, key, &value);
    if (status != JSON_FIELD_OK) {
        return status;
    }
    if (at(&value, 'n')) {
        return JSON_FIELD_MISSING;
    }
    if (!at(&value, '-') && !is_digit(&value)) {
        return JSON_FIELD_WRONG_TYPE;
    }
    {
        cursor probe = value;
        scan_number(&probe, &integral);
        if (!integral) {
            return JSON_FIELD_WRONG_TYPE;
        }
    }
    negative = at(&value, '-');
    if (negative) {
        value.p++;
    }
    while (is_digit(&value)) {
        uint64_t digit = (uint64_t)(*value.p++ - '0');
        /* INT64_MIN's magnitude is one more than INT64_MAX's. */
        if (magnitude > (limit + (uint64_t)negative - digit) / 10) {
            return JSON_FIELD_OUT_OF_RANGE;
        }
        magnitude = magnitude * 10 + digit;
    }
    if (negative) {
        *out = magnitude == limit + 1 ? INT64_MIN : -(int64_t)magnitude;
    } else {
        *out = (int64_t)magnitude;
    }
    return JSON_FIELD_OK;
}
