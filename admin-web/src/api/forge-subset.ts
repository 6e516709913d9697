// Only the parts of node-forge the envelope needs: AES-GCM, RSA-OAEP, SHA-256, PEM and the
// PRNG. The package's index also pulls in TLS, PKCS#12, X.509, SSH and more.
import forge from 'node-forge/lib/forge';
import 'node-forge/lib/aes';
import 'node-forge/lib/pem';
import 'node-forge/lib/random';
import 'node-forge/lib/rsa';
import 'node-forge/lib/sha256';

export default forge;
