package dev.jnet.cli.spec;

import dev.jnet.Authorizer;
import dev.jnet.Socket;
import java.util.List;

/**
 * The {@code --allow}/{@code --deny} lists as a server's authorizer: a peer matching a deny rule is
 * refused; when there are allow rules, a peer must match one of them.
 *
 * @param allow the allow rules
 * @param deny the deny rules
 */
public record PeerRules(List<PeerRule> allow, List<PeerRule> deny) implements Authorizer {
  public PeerRules {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  public boolean isEmpty() {
    return allow.isEmpty() && deny.isEmpty();
  }

  @Override
  public boolean permits(Socket socket) {
    if (deny.stream().anyMatch(r -> r.matches(socket))) {
      return false;
    }
    return allow.isEmpty() || allow.stream().anyMatch(r -> r.matches(socket));
  }
}
