/* Sub-commands of `tlsrig`, one file each. argv[0] is the sub-command. */
#ifndef TLSRIG_CLI_COMMANDS_H
#define TLSRIG_CLI_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_flash(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_scenarios(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_certs(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_probes(int argc, char **argv);
int cmd_unquarantine(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_history(int argc, char **argv);

/* Where fixtures/, rig-config/ and the build live: $TLSRIG_SOURCE_DIR and
 * $TLSRIG_BUILD_DIR, else the directories this binary was built from. */
const char *cli_source_dir(void);
const char *cli_build_dir(void);

#endif
