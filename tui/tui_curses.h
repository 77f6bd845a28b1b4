/* tui_curses.h - curses with its wide-character API (mvaddnwstr, ...):
 * ncurses declares it only when asked, whatever pkg-config's flags say. */
#ifndef QUIRK_TUI_CURSES_H
#define QUIRK_TUI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
