// cartable: the school platform in one binary. See README.md and docs/operations.md.
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "app/commands.hpp"
#include "app/server_app.hpp"

int main(int argc, char** argv) {
  using namespace cartable;
  if (sodium_init() < 0) {
    std::cerr << "libsodium failed to initialise\n";
    return 2;
  }
  CLI::App cli{"Cartable: the school platform that does not fall over."};
  cli.require_subcommand(1);
  cli.set_config("--config", "", "Read options from this file (INI/TOML)");

  app::ServeConfig config;
  app::DemoConfig demo;
  app::ImportOptions import;
  std::string login;

  CLI::App* serve = cli.add_subcommand("serve", "Serve the data in --data");
  app::add_serve_options(*serve, config);

  CLI::App* demo_command =
      cli.add_subcommand("demo", "Build a demo school region (deterministic) and serve it");
  app::add_serve_options(*demo_command, config);
  demo_command->add_option("--schools", demo.schools, "Schools")->capture_default_str();
  demo_command->add_option("--classes-per-school", demo.classes_per_school, "Classes per school")
      ->capture_default_str();
  demo_command->add_option("--pupils-per-class", demo.pupils_per_class, "Pupils per class")
      ->capture_default_str();
  demo_command
      ->add_option("--parents", demo.parents, "Share of pupils with a parent account (0..1)")
      ->capture_default_str();
  demo_command->add_option("--seed", demo.seed, "Seed of the generated names, passwords, homework")
      ->capture_default_str();
  demo_command->add_option(
      "--accounts", demo.accounts_file,
      "Write every account (login,password,role,school,class) to this CSV file");
  demo_command->add_option("--sessions", demo.sessions_file,
                           "Write a remembered session opened yesterday for every account "
                           "(login,session) to this CSV file, for load tests");
  demo_command->add_flag("--fresh", demo.fresh, "Rebuild the demo database even if it matches");

  CLI::App* import_command = cli.add_subcommand("import", "Import a roster CSV (docs/import.md)");
  import_command->add_option("file", import.file, "The CSV file")->required();
  import_command->add_option("--data", config.data, "Data directory")
      ->envname("CARTABLE_DATA")
      ->capture_default_str();
  import_command->add_flag("--dry-run", import.dry_run, "Validate only");
  import_command->add_option("--argon2-ops", config.password_cost.ops, "argon2id passes")
      ->capture_default_str();
  import_command
      ->add_option("--argon2-mem-kib", config.password_cost.memory_kib, "argon2id memory (KiB)")
      ->capture_default_str();

  CLI::App* admin = cli.add_subcommand("admin", "Administration");
  admin->require_subcommand(1);
  admin->add_option("--data", config.data, "Data directory")
      ->envname("CARTABLE_DATA")
      ->capture_default_str();
  CLI::App* rotate = admin->add_subcommand("rotate-keys", "Add a new session signing key");
  CLI::App* password =
      admin->add_subcommand("set-password", "Set an account's password (read from standard input)");
  password->add_option("login", login, "The account")->required();

  CLI11_PARSE(cli, argc, argv);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  try {
    if (*serve) {
      auto database = app::open_database(config);
      const auto clock = app::make_clock(config);
      return app::serve(config, *database, *clock, {});
    }
    if (*demo_command) {
      return app::run_demo(config, demo);
    }
    if (*import_command) {
      return app::import_roster(config, import);
    }
    if (*rotate) {
      return app::rotate_session_keys(config);
    }
    if (*password) {
      return app::set_password(config, login);
    }
  } catch (const std::exception& error) {
    std::cerr << "cartable: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
