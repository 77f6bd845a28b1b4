/* tui_script.c - the TUI driven by a key script, its screens dumped as
 * text: what the golden-screen tests compare. */
#include "tui_script.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "tui.h"

bool tui_script_open(struct tui_script *s)
{
	memset(s, 0, sizeof(*s));
	s->keys = getenv("QUIRK_TUI_SCRIPT");
	s->dump_dir = getenv("QUIRK_TUI_DUMP");
	return s->keys != NULL;
}

SCREEN *tui_script_screen(struct tui_script *s)
{
	const char *term = getenv("TERM");
	SCREEN *screen = NULL;

	s->out = fopen("/dev/null", "w");
	s->in = fopen("/dev/null", "r");
	if (s->out && s->in)
		screen = newterm(term && *term ? term : "xterm", s->out, s->in);
	if (!screen)
		tui_script_close(s);
	return screen;
}

static void dump(struct tui_script *s)
{
	char path[4096], line[4096];
	wchar_t wbuf[1024];
	FILE *f;

	if (!s->dump_dir)
		return;
	snprintf(path, sizeof(path), "%s/screen-%d.txt", s->dump_dir, ++s->ndumps);
	if (!(f = fopen(path, "w")))
		return;
	for (int y = 0; y < LINES; y++) {
		int n = mvinnwstr(y, 0, wbuf, COLS < 1023 ? COLS : 1023);
		size_t len;
		if (n < 0)
			n = 0;
		wbuf[n] = L'\0';
		len = wcstombs(line, wbuf, sizeof(line) - 1);
		if (len == (size_t)-1)
			len = 0;
		while (len && line[len - 1] == ' ')
			len--;
		line[len] = '\0';
		fprintf(f, "%s\n", line);
	}
	fclose(f);
}

static const struct {
	const char *name;
	int key;
} names[] = {
	{"Enter", '\n'},       {"Esc", 27},          {"Up", KEY_UP},     {"Down", KEY_DOWN},
	{"Left", KEY_LEFT},    {"Right", KEY_RIGHT}, {"PgUp", KEY_PPAGE}, {"PgDn", KEY_NPAGE},
	{"Home", KEY_HOME},    {"End", KEY_END},     {"Backspace", KEY_BACKSPACE},
	{"Lt", '<'},
};

int tui_script_key(struct tui_script *s, struct tui *t)
{
	const char *p = s->keys + s->pos;

	if (!t->facts_ready) {
		usleep(10000);
		return ERR;
	}
	if (!*p)
		return TUI_SCRIPT_END;
	if (*p != '<') {
		s->pos++;
		return (unsigned char)*p;
	}
	const char *end = strchr(p, '>');
	size_t len = end ? (size_t)(end - p - 1) : 0;
	int w, h;

	if (!end) { /* a lone '<' */
		s->pos++;
		return '<';
	}
	if (len == 4 && !strncmp(p + 1, "Wait", 4)) {
		if (t->job.running) {
			usleep(10000);
			return ERR;
		}
		s->pos += len + 2;
		return ERR;
	}
	s->pos += len + 2;
	if (len == 4 && !strncmp(p + 1, "Dump", 4)) {
		dump(s);
		return ERR;
	}
	if (sscanf(p + 1, "Resize:%dx%d", &w, &h) == 2) {
		resizeterm(h, w);
		return KEY_RESIZE;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len && !strncmp(p + 1, names[i].name, len))
			return names[i].key;
	return ERR; /* unknown token: ignored */
}

void tui_script_close(struct tui_script *s)
{
	if (s->out)
		fclose(s->out);
	if (s->in)
		fclose(s->in);
	s->out = s->in = NULL;
}
