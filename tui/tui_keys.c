/* tui_keys.c - the one key table: dispatch and the help screen. */
#include "tui_curses.h"
#include <stdio.h>
#include <string.h>

#include "tui.h"

static const struct binding {
	int key;
	enum action action;
	const char *label;
} bindings[] = {
	{KEY_UP, ACT_UP, "Up"},         {'k', ACT_UP, "k"},
	{KEY_DOWN, ACT_DOWN, "Down"},   {'j', ACT_DOWN, "j"},
	{KEY_PPAGE, ACT_PGUP, "PgUp"},  {KEY_NPAGE, ACT_PGDN, "PgDn"},
	{' ', ACT_PGDN, "Space"},       {KEY_HOME, ACT_HOME, "Home"},
	{'g', ACT_HOME, "g"},           {KEY_END, ACT_END, "End"},
	{'G', ACT_END, "G"},            {'\n', ACT_ENTER, "Enter"},
	{'\r', ACT_ENTER, NULL},        {KEY_ENTER, ACT_ENTER, NULL},
	{27, ACT_BACK, "Esc"},          {KEY_LEFT, ACT_BACK, "Left"},
	{'q', ACT_QUIT, "q"},           {'Q', ACT_QUIT, "Q"},
	{'?', ACT_HELP, "?"},           {KEY_F(1), ACT_HELP, "F1"},
	{'/', ACT_SEARCH, "/"},         {'p', ACT_PROBES, "p"},
	{'f', ACT_FILTER, "f"},         {'e', ACT_EXPORT, "e"},
	{'r', ACT_RUN, "r"},            {'t', ACT_SELF_TEST, "t"},
	{'a', ACT_RUN_SAFE, "a"},       {'c', ACT_CHECK, "c"},
};
#define NBINDINGS (sizeof(bindings) / sizeof(bindings[0]))

static const char *const action_help[] = {
	NULL,
#define ACTION_HELP(name, help) help,
	ACTION_TABLE(ACTION_HELP)
#undef ACTION_HELP
};
#define NACTIONS (sizeof(action_help) / sizeof(action_help[0]))

enum action tui_action(int ch)
{
	for (size_t i = 0; i < NBINDINGS; i++)
		if (bindings[i].key == ch)
			return bindings[i].action;
	return ACT_NONE;
}

const char *tui_help_line(size_t i, char *buf, size_t size)
{
	char keys[64] = "";

	if (i + 1 >= NACTIONS)
		return NULL;
	for (size_t k = 0; k < NBINDINGS; k++) {
		if (bindings[k].action != (enum action)(i + 1) || !bindings[k].label)
			continue;
		snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s", keys[0] ? " " : "",
			 bindings[k].label);
	}
	snprintf(buf, size, "  %-16s %s", keys, action_help[i + 1]);
	return buf;
}
