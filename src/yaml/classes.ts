import * as yaml from 'yaml';

/*
 * yaml's node classes, read once. The bundles load `yaml` (CommonJS) through an interop
 * object whose every export is a getter, so `instanceof Scalar` in code that visits every
 * node would call a getter each time; these constants are plain bindings.
 */
export const AliasNode = yaml.Alias;
export const PairNode = yaml.Pair;
export const ScalarNode = yaml.Scalar;
export const MapNode = yaml.YAMLMap;
export const SeqNode = yaml.YAMLSeq;
