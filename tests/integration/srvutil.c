/* What the integration test servers share: reason phrases, paths, stop. */
#include "srvutil.h"

#include <string.h>

#include <event2/event.h>

/* A reason phrase for the codes the tests use. */
const char *
srv_reason(int status)
{
	switch (status) {
	case 200:
		return ("OK");
	case 201:
		return ("Created");
	case 204:
		return ("No Content");
	case 301:
		return ("Moved Permanently");
	case 302:
		return ("Found");
	case 303:
		return ("See Other");
	case 307:
		return ("Temporary Redirect");
	case 308:
		return ("Permanent Redirect");
	case 400:
		return ("Bad Request");
	case 404:
		return ("Not Found");
	case 429:
		return ("Too Many Requests");
	case 500:
		return ("Internal Server Error");
	case 502:
		return ("Bad Gateway");
	case 503:
		return ("Service Unavailable");
	default:
		return ("Status");
	}
}

/* Whether target is path, alone or followed by '/' or '?'. */
bool
srv_path_is(const char *target, const char *path)
{
	size_t	n = strlen(path);

	return (strncmp(target, path, n) == 0 &&
	    (target[n] == '\0' || target[n] == '/' || target[n] == '?'));
}

/* Lifetime over or signalled: leave the loop. */
void
srv_stop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}
