package dev.jnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public API never mentions Netty: no public or protected signature of an exported type names io.netty. */
class ApiSurfaceTest {
  private static final List<Class<?>> API = List.of(
      Net.class, Socket.class, Server.class, Endpoint.class, Endpoint.Tcp.class, Endpoint.Unix.class,
      Endpoint.Pipe.class, Endpoint.Fd.class, SocketOptions.class, ServerOptions.class, NetException.class,
      ErrorCode.class, ReadyState.class, Registration.class, WriteCallback.class, PeerCredentials.class,
      Authorizer.class,
      dev.jnet.spi.Transport.class, dev.jnet.spi.Capability.class);

  @Test
  void noPublicSignatureMentionsNetty() {
    List<String> offenders = new ArrayList<>();
    for (Class<?> c : API) {
      check(c.getName(), c.getGenericSuperclass(), offenders);
      for (Type t : c.getGenericInterfaces()) {
        check(c.getName(), t, offenders);
      }
      for (Method m : c.getDeclaredMethods()) {
        if (visible(m.getModifiers())) {
          checkExecutable(c.getName() + "." + m.getName(), m, offenders);
          check(c.getName() + "." + m.getName(), m.getGenericReturnType(), offenders);
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(k.getModifiers())) {
          checkExecutable(c.getName() + ".<init>", k, offenders);
        }
      }
      for (Field f : c.getDeclaredFields()) {
        if (visible(f.getModifiers())) {
          check(c.getName() + "." + f.getName(), f.getGenericType(), offenders);
        }
      }
    }
    assertThat(offenders).as("public signatures naming io.netty").isEmpty();
  }

  @Test
  void everyPublicTypeInTheApiPackagesIsListedHere() throws Exception {
    java.nio.file.Path root = java.nio.file.Path.of(Net.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> found = new ArrayList<>();
    for (String pkg : List.of("dev/jnet", "dev/jnet/spi")) {
      try (var files = java.nio.file.Files.list(root.resolve(pkg))) {
        for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) files::iterator) {
          String n = p.getFileName().toString();
          if (n.endsWith(".class")) {
            Class<?> c = Class.forName(pkg.replace('/', '.') + "." + n.substring(0, n.length() - 6));
            if (Modifier.isPublic(c.getModifiers())) {
              found.add(c.getName());
            }
          }
        }
      }
    }
    assertThat(API.stream().map(Class::getName).toList()).containsAll(found);
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void checkExecutable(String where, Executable e, List<String> offenders) {
    for (Type t : e.getGenericParameterTypes()) {
      check(where, t, offenders);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      check(where, t, offenders);
    }
  }

  private static void check(String where, Type t, List<String> offenders) {
    if (t != null && t.getTypeName().contains("io.netty")) {
      offenders.add(where + ": " + t.getTypeName());
    }
  }
}
