/// @file
/// @brief `minetwin view` and `minetwin render`: replay a run's outputs in 3D (viz/).

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "apps/commands.hpp"
#include "engine/core/errors.hpp"
#include "viz/render.hpp"
#include "viz/viewer.hpp"

namespace minetwin::cli {
namespace {

viz::DrapeSpec drape_of(const std::string& field, bool change) {
  viz::DrapeSpec drape;
  drape.field = field;
  drape.change = change;
  // Class fields get their class colours.
  drape.categorical = field == "hazard_rockfall__class" || field == "soil__risk_class";
  if (drape.categorical) drape.high = 3;
  return drape;
}

void parse_size(const std::string& size, int& width, int& height) {
  if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2 || width < 16 || height < 16 ||
      width > 8192 || height > 8192)
    throw InputError("--size", 0, 0, "expected WIDTHxHEIGHT, e.g. 1280x720, got '" + size + "'");
}

}  // namespace

void add_view_commands(CLI::App& app, Commands& commands) {
  struct ViewArguments {
    std::vector<std::string> outputs;
    std::string field;
    bool change = false;
    double exaggeration = 2.0;
    int frames = 0;
    std::string size = "1600x900";
  };
  auto view_args = std::make_shared<ViewArguments>();
  CLI::App* view =
      app.add_subcommand("view", "Replay one run, or two side by side, in a 3D window");
  view->add_option("outputs", view_args->outputs, "run output folders (one or two)")
      ->required()
      ->expected(1, 2);
  view->add_option("--field", view_args->field, "field to drape (default: the land-cover look)");
  view->add_flag("--change", view_args->change, "colour the change since the first year");
  view->add_option("--exaggeration", view_args->exaggeration, "vertical exaggeration")
      ->check(CLI::Range(0.1, 20.0));
  view->add_option("--frames", view_args->frames,
                   "stop after this many frames and print the frame times (0: when closed)");
  view->add_option("--size", view_args->size, "WIDTHxHEIGHT of the window in pixels");
  view->callback([&commands, view_args] {
    commands.action = [view_args] {
      viz::ViewOptions options;
      options.drape = drape_of(view_args->field, view_args->change);
      options.exaggeration = view_args->exaggeration;
      options.max_frames = view_args->frames;
      parse_size(view_args->size, options.width, options.height);
      std::vector<std::filesystem::path> outputs(view_args->outputs.begin(),
                                                 view_args->outputs.end());
      viz::view_runs(outputs, options);
      return 0;
    };
  });

  struct RenderArguments {
    std::string output_folder, target, field, years, size = "1280x720", camera = "overview";
    std::vector<std::string> flight;
    bool change = false;
    int fps = 5;
    int tween = 0;
    double exaggeration = 2.0;
  };
  auto args = std::make_shared<RenderArguments>();
  CLI::App* render = app.add_subcommand(
      "render", "Headless frames of a run (frame_YYYY.png) or an MP4, with the year and legend");
  render->add_option("output", args->output_folder, "run output folder")->required();
  render->add_option("-o,--to", args->target, "folder for PNG frames, or FILE.mp4")->required();
  render->add_option("--field", args->field, "field to drape (default: the land-cover look)");
  render->add_flag("--change", args->change, "colour the change since the first year");
  render->add_option("--years", args->years, "A:B, the recorded years to render (default: all)");
  render->add_option("--size", args->size, "WIDTHxHEIGHT in pixels");
  render->add_option("--fps", args->fps, "frames per second of an MP4")->check(CLI::Range(1, 60));
  render
      ->add_option("--tween", args->tween,
                   "interpolated frames between consecutive recorded years (smooth replay)")
      ->check(CLI::Range(0, 60));
  render->add_option("--camera", args->camera,
                     "overview | south | east | top | a viewpoint saved in the viewer (key v)");
  render
      ->add_option("--flight", args->flight,
                   "a flight path through named cameras, e.g. --flight overview,south,top")
      ->delimiter(',');
  render->add_option("--exaggeration", args->exaggeration, "vertical exaggeration")
      ->check(CLI::Range(0.1, 20.0));
  render->callback([&commands, args] {
    commands.action = [args] {
      viz::RenderOptions options;
      options.output = args->target;
      options.drape = drape_of(args->field, args->change);
      options.fps = args->fps;
      options.tween = args->tween;
      options.camera = args->camera;
      options.flight = args->flight;
      options.exaggeration = args->exaggeration;
      parse_size(args->size, options.width, options.height);
      if (!args->years.empty() &&
          std::sscanf(args->years.c_str(), "%d:%d", &options.first_year, &options.last_year) != 2)
        throw InputError("--years", 0, 0,
                         "expected A:B, e.g. 2025:2075, got '" + args->years + "'");
      const auto written = viz::render_frames(args->output_folder, options);
      std::cout << "wrote " << written.size() << (written.size() == 1 ? " file" : " frames")
                << " to " << args->target << "\n";
      return 0;
    };
  });
}

}  // namespace minetwin::cli
