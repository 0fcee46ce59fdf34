package dev.tollgate.auth.upstream;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Client keys for private_key_jwt tests, written the way operators hand them over: PKCS#8 PEM. */
final class PrivateKeyFiles {
  private PrivateKeyFiles() {}

  /** A key file and a verifier for what its key signs. */
  record Pair(Path file, JWSVerifier verifier) {}

  static Pair ecPem(Path file) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(file, pem);
    return new Pair(file, new ECDSAVerifier((ECPublicKey) pair.getPublic()));
  }

  /** The decoded value of {@code name} in a form-encoded body. */
  static String formValue(String form, String name) {
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no " + name + " in the form");
  }
}
