package io.weft.ui;

import io.weft.WeftConf;
import io.weft.config.AclOptions;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who may view an application's web UI and who may modify (kill) it, from the ACL settings of
 * {@link AclOptions}, as Spark's {@code SecurityManager} decides: with {@code weft.acls.enable}
 * off everyone may do everything; with it on, a user may view when the user is the owner, an
 * admin, in the view list, or in one of its groups; {@code *} in a user or group list admits
 * everyone. Modify is the same with the modify lists. An unknown user (null: nobody said who is
 * asking) is refused once ACLs are on: we fail closed where Spark lets it through.
 *
 * <p>The same lists become YARN's application ACLs ({@link #yarnViewAcl()},
 * {@link #yarnModifyAcl()}) so that the ResourceManager (kill) and the NodeManagers and log
 * server (container logs) follow them too.
 *
 * <p>Threading: immutable. Groups are looked up (through the function given, Hadoop's group
 * mapping in the ApplicationMaster) only when no user list admitted the user.
 */
public final class AccessControl {
  public static final String WILDCARD = "*";

  private final boolean enabled;
  private final String owner;
  private final Set<String> viewUsers;
  private final Set<String> viewGroups;
  private final Set<String> modifyUsers;
  private final Set<String> modifyGroups;

  private AccessControl(boolean enabled, String owner, Set<String> viewUsers, Set<String> viewGroups,
      Set<String> modifyUsers, Set<String> modifyGroups) {
    this.enabled = enabled;
    this.owner = owner;
    this.viewUsers = viewUsers;
    this.viewGroups = viewGroups;
    this.modifyUsers = modifyUsers;
    this.modifyGroups = modifyGroups;
  }

  /** The ACLs of {@code conf} for an application owned by {@code owner} (the submitting user). */
  public static AccessControl fromConf(WeftConf conf, String owner) {
    Set<String> adminUsers = list(conf.get(AclOptions.ADMIN_ACLS));
    Set<String> adminGroups = list(conf.get(AclOptions.ADMIN_ACLS_GROUPS));
    return new AccessControl(conf.get(AclOptions.ACLS_ENABLE), owner,
        union(owner, adminUsers, list(conf.get(AclOptions.VIEW_ACLS))),
        union(null, adminGroups, list(conf.get(AclOptions.VIEW_ACLS_GROUPS))),
        union(owner, adminUsers, list(conf.get(AclOptions.MODIFY_ACLS))),
        union(null, adminGroups, list(conf.get(AclOptions.MODIFY_ACLS_GROUPS))));
  }

  public boolean enabled() {
    return enabled;
  }

  public String owner() {
    return owner;
  }

  /** Whether {@code user} (null when unknown) may see the web UI, its JSON and the status page. */
  public boolean canView(String user, Function<String, Collection<String>> groupsOf) {
    return admits(user, viewUsers, viewGroups, groupsOf);
  }

  /** Whether {@code user} (null when unknown) may kill the application. */
  public boolean canModify(String user, Function<String, Collection<String>> groupsOf) {
    return admits(user, modifyUsers, modifyGroups, groupsOf);
  }

  /** YARN's VIEW_APP ACL: {@code "users groups"}, the owner and admins included; {@code *} stays. */
  public String yarnViewAcl() {
    return yarnAcl(viewUsers, viewGroups);
  }

  /** YARN's MODIFY_APP ACL, as {@link #yarnViewAcl()}. */
  public String yarnModifyAcl() {
    return yarnAcl(modifyUsers, modifyGroups);
  }

  /** The view list as shown in a refusal: {@code users [groups]}. */
  public String describeView() {
    return "users " + String.join(",", viewUsers) + (viewGroups.isEmpty() ? "" : ", groups " + String.join(",", viewGroups));
  }

  private boolean admits(String user, Set<String> users, Set<String> groups,
      Function<String, Collection<String>> groupsOf) {
    if (!enabled || users.contains(WILDCARD) || groups.contains(WILDCARD)) {
      return true;
    }
    if (user == null || user.isEmpty()) {
      return false;
    }
    if (users.contains(user)) {
      return true;
    }
    if (groups.isEmpty()) {
      return false;
    }
    for (String g : groupsOf.apply(user)) {
      if (groups.contains(g)) {
        return true;
      }
    }
    return false;
  }

  private static String yarnAcl(Set<String> users, Set<String> groups) {
    // YARN's AccessControlList: "*" alone admits everyone; else "u1,u2 g1,g2"
    if (users.contains(WILDCARD) || groups.contains(WILDCARD)) {
      return WILDCARD;
    }
    return String.join(",", users) + " " + String.join(",", groups);
  }

  static Set<String> list(String csv) {
    if (csv == null || csv.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Set<String> union(String first, Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>();
    if (first != null && !first.isEmpty()) {
      all.add(first);
    }
    all.addAll(a);
    all.addAll(b);
    return java.util.Collections.unmodifiableSet(all);
  }
}
