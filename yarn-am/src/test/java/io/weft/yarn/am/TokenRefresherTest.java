package io.weft.yarn.am;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TokenRefresherTest {
  @Test
  void refreshesAtThreeQuartersOfTheRemainingLifetime() {
    assertEquals(75_000, TokenRefresher.delayMs(1_000_000, OptionalLong.of(1_100_000)));
    // a day-long token: refreshed after 18 hours
    assertEquals(18L * 3600_000, TokenRefresher.delayMs(0, OptionalLong.of(24L * 3600_000)));
  }

  @Test
  void neverSoonerThanASecondAndNeverWithoutAnExpiry() {
    assertEquals(TokenRefresher.MIN_DELAY_MS, TokenRefresher.delayMs(5_000, OptionalLong.of(5_100)));
    assertEquals(TokenRefresher.MIN_DELAY_MS, TokenRefresher.delayMs(5_000, OptionalLong.of(1_000)));
    assertEquals(-1, TokenRefresher.delayMs(5_000, OptionalLong.empty()));
  }
}
