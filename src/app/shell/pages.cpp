// The pages, in tab order. No GL.
#include "app/shell/pages.h"

#include "app/graph/page_graph.h"
#include "app/schedules/page_schedules.h"

namespace gs::app {

PageList make_pages() {
  PageList pages;
  pages.push_back(std::make_unique<GraphPage>());
  pages.push_back(std::make_unique<SchedulesPage>());
  return pages;
}

}  // namespace gs::app
