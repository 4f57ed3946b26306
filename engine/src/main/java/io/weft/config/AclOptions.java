package io.weft.config;

import static io.weft.config.ConfigEntry.booleanConf;
import static io.weft.config.ConfigEntry.stringConf;

/**
 * Who may see an application's web UI and who may kill it (docs/SECURITY.md, "Access control").
 * Each list is comma-separated; {@code *} means everyone. The application's owner (the user who
 * submitted it) and the admins are always in both.
 */
public final class AclOptions {
  private AclOptions() {}

  public static final ConfigEntry<Boolean> ACLS_ENABLE = booleanConf("weft.acls.enable")
      .doc("Check the view and modify ACLs: the ApplicationMaster's web UI, JSON and status page "
          + "answer 403 to a user outside the view ACL, and YARN is given the lists as the "
          + "application's VIEW_APP and MODIFY_APP ACLs (kill, logs) at submission.")
      .defaultValue("false")
      .register();

  public static final ConfigEntry<String> VIEW_ACLS = stringConf("weft.ui.view.acls")
      .doc("Users (comma-separated, * for everyone) who may see the web UI and the application's "
          + "logs, besides the owner and the admins.")
      .defaultValue("")
      .register();

  public static final ConfigEntry<String> VIEW_ACLS_GROUPS = stringConf("weft.ui.view.acls.groups")
      .doc("Groups (comma-separated, * for every group) whose members may see the web UI and logs.")
      .defaultValue("")
      .register();

  public static final ConfigEntry<String> MODIFY_ACLS = stringConf("weft.modify.acls")
      .doc("Users (comma-separated, * for everyone) who may kill the application, besides the "
          + "owner and the admins.")
      .defaultValue("")
      .register();

  public static final ConfigEntry<String> MODIFY_ACLS_GROUPS = stringConf("weft.modify.acls.groups")
      .doc("Groups (comma-separated, * for every group) whose members may kill the application.")
      .defaultValue("")
      .register();

  public static final ConfigEntry<String> ADMIN_ACLS = stringConf("weft.admin.acls")
      .doc("Users (comma-separated) who may both view and kill every application submitted with "
          + "this setting (e.g. a cluster's operators).")
      .defaultValue("")
      .register();

  public static final ConfigEntry<String> ADMIN_ACLS_GROUPS = stringConf("weft.admin.acls.groups")
      .doc("Groups (comma-separated) whose members may both view and kill the application.")
      .defaultValue("")
      .register();
}
