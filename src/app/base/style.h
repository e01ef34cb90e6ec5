// The interface style: light, high-contrast, generous spacing for a projector, scaled for the
// monitor's DPI. ImGui style only; no GL.
#pragma once

namespace gs::app {

void apply_style(float dpi_scale);

}  // namespace gs::app
