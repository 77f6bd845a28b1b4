/* tui_script.h - scripted keys and screen dumps, for golden-screen tests:
 * QUIRK_TUI_SCRIPT holds the keys, QUIRK_TUI_DUMP a directory for the
 * screens (screen-1.txt, ...); the terminal is a virtual one of
 * COLUMNS x LINES writing to /dev/null. */
#ifndef QUIRK_TUI_SCRIPT_H
#define QUIRK_TUI_SCRIPT_H

#include "tui_curses.h"
#include <stdbool.h>
#include <stdio.h>

#define TUI_SCRIPT_END (-2)

struct tui;

struct tui_script {
	const char *keys, *dump_dir;
	size_t pos;
	int ndumps;
	FILE *out, *in;
};

/* True if QUIRK_TUI_SCRIPT is set (s is then in use). */
bool tui_script_open(struct tui_script *s);
/* The virtual terminal; NULL if it cannot be made (s then holds no open
 * file). */
SCREEN *tui_script_screen(struct tui_script *s);
/* The next key: a character, or <Enter> <Esc> <Up> <Down> <Left> <Right>
 * <PgUp> <PgDn> <Home> <End> <Backspace> <Lt>; <Wait> waits until facts
 * are collected and no probe runs, <Dump> writes the screen, <Resize:WxH>
 * resizes. ERR while waiting, TUI_SCRIPT_END after the last key. */
int tui_script_key(struct tui_script *s, struct tui *t);
void tui_script_close(struct tui_script *s);

#endif
