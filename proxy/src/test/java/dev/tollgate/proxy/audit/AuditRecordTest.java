package dev.tollgate.proxy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The services an event counts, and the decision they make, however many a batch holds. */
class AuditRecordTest {
  private static AuditRecord record() {
    return new AuditRecord(Instant.EPOCH, 0, "req-1", null, "127.0.0.1", "POST", "/v1/traces");
  }

  @Test
  void oneServiceIsCountedOnce() {
    AuditRecord r = record();
    r.accepted("checkout");
    AuditEvent e = r.finish(200, 0);
    assertThat(e.accepted()).containsExactly(Map.entry("checkout", 1));
    assertThat(e.rejected()).isEmpty();
    assertThat(e.decision()).isEqualTo("allow");
  }

  @Test
  void servicesAreCountedInTheOrderTheyCame() {
    AuditRecord r = record();
    // each name read from its own batch: equal, not the same object
    r.accepted(new String("checkout"));
    r.accepted(new String("checkout"));
    r.accepted("cart");
    r.accepted(null);
    r.accepted(new String("checkout"));
    r.rejected("billing", 7);
    r.rejected("billing", 3);
    r.rejected("ledger", 1);
    AuditEvent e = r.finish(200, 0);
    assertThat(e.accepted()).containsExactly(Map.entry("checkout", 3), Map.entry("cart", 1), Map.entry("", 1));
    assertThat(e.rejected()).containsExactly(Map.entry("billing", 2), Map.entry("ledger", 1));
    assertThat(e.rejectedItems()).isEqualTo(11);
    assertThat(e.decision()).isEqualTo("partial");
  }

  @Test
  void aServiceWithoutANameIsCountedUnderTheEmptyName() {
    AuditRecord r = record();
    r.rejected(null, 2);
    r.rejected(null, 2);
    AuditEvent e = r.finish(403, 0);
    assertThat(e.rejected()).containsExactly(Map.entry("", 2));
    assertThat(e.accepted()).isEmpty();
    assertThat(e.decision()).isEqualTo("deny");
  }

  @Test
  void aNamelessServiceBeforeANamedOneKeepsItsPlace() {
    AuditRecord r = record();
    r.accepted(null);
    r.accepted("checkout");
    r.accepted(null);
    assertThat(r.finish(200, 0).accepted()).containsExactly(Map.entry("", 2), Map.entry("checkout", 1));
  }

  @Test
  void withoutServicesTheStatusDecides() {
    assertThat(record().finish(200, 0).decision()).isEqualTo("allow");
    assertThat(record().finish(401, 0).decision()).isEqualTo("deny");
    assertThat(record().finish(200, 0).accepted()).isEmpty();
  }
}
