// The pages, in tab order. No GL.
#include "app/shell/pages.h"

#include "app/graph/page_graph.h"
#include "app/schedules/page_schedules.h"
#include "app/training/page_training.h"

namespace gs::app {

PageList make_pages() {
  PageList pages;
  pages.push_back(std::make_unique<GraphPage>());
  pages.push_back(std::make_unique<SchedulesPage>());
  pages.push_back(std::make_unique<TrainingPage>());
  return pages;
}

}  // namespace gs::app
