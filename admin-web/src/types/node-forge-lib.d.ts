// node-forge's lib/ files each add to one shared `forge` object; @types/node-forge types only
// the package index, whose shape that object has once the needed files are loaded.
declare module 'node-forge/lib/forge' {
  import forge from 'node-forge';
  export default forge;
}
