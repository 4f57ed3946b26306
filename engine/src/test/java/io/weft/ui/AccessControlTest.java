package io.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weft.WeftConf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AccessControlTest {
  private static final Map<String, List<String>> GROUPS = Map.of(
      "carol", List.of("analysts"), "dave", List.of("ops", "staff"), "mallory", List.of("staff"));
  private static final Function<String, Collection<String>> GROUPS_OF = u -> GROUPS.getOrDefault(u, List.of());

  private static WeftConf conf(String... kv) {
    WeftConf c = new WeftConf(false).set("weft.acls.enable", "true");
    for (int i = 0; i < kv.length; i += 2) {
      c.set(kv[i], kv[i + 1]);
    }
    return c;
  }

  @Test
  void offAdmitsEveryoneEvenAnUnknownUser() {
    AccessControl acl = AccessControl.fromConf(new WeftConf(false).set("weft.ui.view.acls", "bob"), "alice");
    assertFalse(acl.enabled());
    assertTrue(acl.canView("mallory", GROUPS_OF));
    assertTrue(acl.canModify(null, GROUPS_OF));
  }

  @Test
  void onAdmitsTheOwnerAdminsListedUsersAndGroupMembersOnly() {
    AccessControl acl = AccessControl.fromConf(conf(
        "weft.ui.view.acls", " bob , erin", "weft.ui.view.acls.groups", "analysts",
        "weft.modify.acls", "erin", "weft.modify.acls.groups", "ops",
        "weft.admin.acls", "root"), "alice");
    // expected from the lists by hand: view = alice, root, bob, erin, analysts; modify = alice, root, erin, ops
    for (String u : List.of("alice", "root", "bob", "erin", "carol")) {
      assertTrue(acl.canView(u, GROUPS_OF), u);
    }
    for (String u : List.of("mallory", "dave")) {
      assertFalse(acl.canView(u, GROUPS_OF), u);
    }
    for (String u : List.of("alice", "root", "erin", "dave")) {
      assertTrue(acl.canModify(u, GROUPS_OF), u);
    }
    for (String u : List.of("bob", "carol", "mallory")) {
      assertFalse(acl.canModify(u, GROUPS_OF), u);
    }
    assertFalse(acl.canView(null, GROUPS_OF), "an unknown user is refused once ACLs are on");
    assertFalse(acl.canView("", GROUPS_OF));
  }

  @Test
  void groupsAreLookedUpOnlyWhenNoUserListAdmitted() {
    List<String> asked = new ArrayList<>();
    AccessControl acl = AccessControl.fromConf(conf("weft.ui.view.acls", "bob",
        "weft.ui.view.acls.groups", "analysts"), "alice");
    Function<String, Collection<String>> counting = u -> {
      asked.add(u);
      return GROUPS_OF.apply(u);
    };
    assertTrue(acl.canView("alice", counting));
    assertTrue(acl.canView("bob", counting));
    assertEquals(List.of(), asked);
    assertTrue(acl.canView("carol", counting));
    assertEquals(List.of("carol"), asked);
  }

  @Test
  void aWildcardAdmitsEveryone() {
    assertTrue(AccessControl.fromConf(conf("weft.ui.view.acls", "*"), "alice").canView("mallory", GROUPS_OF));
    assertTrue(AccessControl.fromConf(conf("weft.modify.acls.groups", "*"), "alice").canModify("nobody", GROUPS_OF));
    assertFalse(AccessControl.fromConf(conf("weft.ui.view.acls", "*"), "alice").canModify("mallory", GROUPS_OF));
  }

  @Test
  void yarnAclsCarryTheSameListsInYarnsFormat() {
    AccessControl acl = AccessControl.fromConf(conf(
        "weft.ui.view.acls", "bob", "weft.ui.view.acls.groups", "analysts,ops",
        "weft.modify.acls", "erin", "weft.admin.acls", "root", "weft.admin.acls.groups", "admins"), "alice");
    assertEquals("alice,root,bob admins,analysts,ops", acl.yarnViewAcl());
    assertEquals("alice,root,erin admins", acl.yarnModifyAcl());
    assertEquals("*", AccessControl.fromConf(conf("weft.ui.view.acls", "bob,*"), "alice").yarnViewAcl());
    assertEquals("alice ", AccessControl.fromConf(conf(), "alice").yarnModifyAcl(), "the owner only");
  }
}
