/* What the integration test servers share: reason phrases, paths, stop. */
#ifndef HTTPSTAT_TEST_SRVUTIL_H
#define HTTPSTAT_TEST_SRVUTIL_H

#include <stdbool.h>

#include <event2/util.h>

const char	*srv_reason(int);
bool		 srv_path_is(const char *, const char *);
/* Lifetime over or signalled: arg is the event_base to leave. */
void		 srv_stop_cb(evutil_socket_t, short, void *);

#endif
