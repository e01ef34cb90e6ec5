// The registration point of pages: every page the program has, in tab order (Ctrl+1, Ctrl+2, …).
// Adding a page is its folder (src/app/NAME/, a class implementing base/page.h) and one line in
// pages.cpp. Only pages that exist are listed: no placeholder tabs. No GL.
#pragma once

#include "app/shell/workbench.h"

namespace gs::app {

// Constructs every page, not started yet (Page::start reads the command line).
PageList make_pages();

}  // namespace gs::app
