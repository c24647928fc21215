import fc from 'fast-check';

test('a property without a seed of its own runs with the fixed global seed', () => {
  expect(fc.readConfigureGlobal().seed).toBe(
    process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125,
  );
  const draw = () => fc.sample(fc.integer(), 5);
  expect(draw()).toEqual(draw());
});
