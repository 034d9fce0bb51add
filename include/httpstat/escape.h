/*
 * JSON, CSV, XML and Prometheus-label escaping of arbitrary bytes.
 * Output is always valid UTF-8: bytes that are not valid UTF-8 are written
 * as U+FFFD.  NUL bytes are allowed in the input (lengths are explicit).
 */
#ifndef HTTPSTAT_ESCAPE_H
#define HTTPSTAT_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* A JSON string literal, quotes included. */
void	escape_json(FILE *, const char *, size_t);
/* A CSV field (RFC 4180), quoted when it needs to be. */
void	escape_csv(FILE *, const char *, size_t);
/* XML attribute or text content (no quotes added). */
void	escape_xml(FILE *, const char *, size_t);
/* A Prometheus label value (no quotes added). */
void	escape_prom(FILE *, const char *, size_t);
/* Text for a terminal: control bytes and invalid UTF-8 made visible. */
void	escape_text(FILE *, const char *, size_t);
/* Display width (columns) escape_text would use. */
size_t	escape_text_width(const char *, size_t);

#endif
