package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What goes to the ResourceManager's exclusion list as the scheduler's excluded hosts change. */
class YarnHostExclusionsTest {
  private final YarnHostExclusions list = new YarnHostExclusions();

  @Test
  void sendsOnlyTheChangesAndLeavesOneNodeOffTheList() {
    YarnHostExclusions.Update u = list.update(Set.of("h1"), 3);
    assertEquals(List.of("h1"), u.additions());
    assertEquals(List.of(), u.removals());
    u = list.update(Set.of("h1", "h2", "h3"), 3);
    assertEquals(List.of("h2"), u.additions(), "3 nodes: at most 2 excluded");
    assertEquals(1, u.capped());
    assertEquals(Set.of("h1", "h2"), list.hosts());
    assertTrue(list.update(Set.of("h1", "h2", "h3"), 3).isEmpty(), "nothing new to send");
    u = list.update(Set.of(), 3);
    assertEquals(List.of("h1", "h2"), u.removals());
    assertEquals(Set.of(), list.hosts());
  }

  @Test
  void aOneNodeClusterNeverExcludesItsNode() {
    YarnHostExclusions.Update u = list.update(Set.of("h1"), 1);
    assertTrue(u.isEmpty());
    assertEquals(Set.of(), list.hosts());
  }
}
