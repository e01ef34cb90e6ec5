// gradscope-cli: the headless front end. Registers the subcommands (one line each, defined in
// cmd_*.cpp) and turns every failure into one line on stderr, "error: ...", with exit status 2;
// nothing escapes as a crash or a stack trace. Depends on CLI11 and the commands; links no GL.
#include "commands.h"

#include "engine/error_text.h"
#include "engine/parse.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr int kBadInput = 2;

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// CLI11's messages rephrased to say what to type; the rest keep CLI11's words.
std::string describe(const CLI::App& app, const CLI::ParseError& e) {
  const std::string what = e.what();
  const std::string program = app.get_name();
  const std::vector<CLI::App*> used = app.get_subcommands();
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    const CLI::App* sub = used.empty() ? nullptr : used.front();
    std::vector<std::string> extras = sub ? sub->remaining() : app.remaining();
    if (extras.empty()) extras = app.remaining(true);
    const std::string arg = extras.empty() ? "?" : extras.front();
    if (!sub && arg.rfind('-', 0) != 0) {
      std::string guess = gs::closest_name(arg, command_names(app));
      return "unknown command '" + arg + "'" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
             "; commands: " + joined(command_names(app));
    }
    if (arg.rfind('-', 0) == 0) {
      std::vector<std::string> options;
      for (const CLI::Option* opt : (sub ? sub : &app)->get_options())
        for (const std::string& l : opt->get_lnames()) options.push_back("--" + l);
      std::string name = arg.substr(0, arg.find('='));
      std::string guess = gs::closest_name(name, options);
      return "unknown option '" + name + "'" + (sub ? " for " + sub->get_name() : "") +
             (guess.empty() ? "" : " (did you mean '" + guess + "'?)") + "; see " + program +
             (sub ? " " + sub->get_name() : "") + " --help";
    }
    return "unexpected argument '" + arg + "'" + (sub ? " for " + sub->get_name() : "") +
           " (values follow their option: --expr \"...\", --at x1=2)";
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) && what.find("subcommand") != std::string::npos) {
    // A misspelt command is left over rather than taken as a subcommand: name it.
    const std::vector<std::string> extras = app.remaining();
    if (!extras.empty() && extras.front().rfind('-', 0) != 0) {
      std::string guess = gs::closest_name(extras.front(), command_names(app));
      return "unknown command '" + extras.front() + "'" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
             "; commands: " + joined(command_names(app));
    }
    return "a command is needed: " + program + " " + joined(command_names(app)) + " ... (see " + program + " --help)";
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    const std::string option = what.substr(0, what.find(':'));
    if (what.find("required") != std::string::npos && what.find("missing") != std::string::npos)
      return "option " + option + " needs a value";
  }
  if (dynamic_cast<const CLI::ConversionError*>(&e)) {
    const std::string prefix = "Could not convert: ";
    if (what.rfind(prefix, 0) == 0) {
      std::string rest = what.substr(prefix.size());
      std::size_t eq = rest.find(" = ");
      if (eq != std::string::npos) return rest.substr(0, eq) + " needs a number, got '" + rest.substr(eq + 3) + "'";
    }
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&e)) {
    std::size_t ex = what.find(" excludes ");
    if (ex != std::string::npos) return "give either " + what.substr(0, ex) + " or " + what.substr(ex + 10) + ", not both";
  }
  std::string s = what;
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

// One line, whatever the message holds; control characters that came from the input (an escape
// sequence in an expression or a --at value) are shown as \x1B rather than sent to the terminal.
int report(std::string message) {
  for (char& c : message)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  std::cerr << "error: " << gs::printable_text(message) << "\n";
  return kBadInput;
}

// What a command printed reached its destination: a full disk or a closed pipe on standard
// output is an error (exit 2), not a silent half of the output with status 0.
int finish_output() {
  errno = 0;
  std::cout.flush();
  if (std::fflush(stdout) == 0 && !std::ferror(stdout) && std::cout.good()) return 0;
  const int err = errno;
  return report(std::string("cannot write the output") + (err ? std::string(": ") + std::strerror(err) : ""));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gradscope-cli: computation graphs, their forward and reverse traces, gradient checks", "gradscope-cli"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every command");
  app.set_version_flag("--version", "gradscope-cli " GRADSCOPE_VERSION "\nbuilt for " GRADSCOPE_CPU_TARGET,
                       "Print the version and the instruction set it was built for");

  gs::cli::add_eval_command(app);
  gs::cli::add_check_command(app);
  // ---- further commands, one line each (declared in commands.h) --------------------------------
  gs::cli::add_train_command(app);
  gs::cli::add_schedule_command(app);
  gs::cli::add_bench_command(app);
  gs::cli::add_export_command(app);
  gs::cli::add_replay_command(app);
  // ----------------------------------------------------------------------------------------------

  try {
    app.parse(argc, argv);
    return finish_output();
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help: printed on stdout, status 0
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // the command has reported already
  } catch (const CLI::ParseError& e) {
    return report(describe(app, e));
  } catch (const std::exception& e) {
    // ParseError, FileError, BindingError, GraphError, InputError: their messages name the place.
    return report(e.what());
  } catch (...) {
    return report("unexpected failure");
  }
}
