// Writes examples/customers.csv: 800 synthetic customers (numeric, categorical and boolean columns,
// some values missing) and whether they churned. Seeded, so the file is the same on every run:
//   node examples/make-customers.mjs > examples/customers.csv
let s = 12345;
const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const plans = ['basic', 'pro', 'enterprise'];
const regions = ['north', 'south', 'east', 'west'];
const rows = ['customer_id,age,monthly_fee,plan,region,support_calls,autopay,churn'];
for (let i = 0; i < 800; i++) {
  const age = Math.round(22 + rand() * 50);
  const plan = plans[Math.floor(rand() * 3)];
  const fee = (plan === 'basic' ? 20 : plan === 'pro' ? 45 : 90) + gauss() * 5;
  const region = regions[Math.floor(rand() * 4)];
  const calls = Math.floor(rand() * 8);
  const autopay = rand() < 0.6;
  const risk =
    0.45 * calls -
    0.04 * (age - 45) -
    (autopay ? 1.2 : 0) +
    (plan === 'basic' ? 0.8 : plan === 'enterprise' ? -0.8 : 0) +
    (region === 'south' ? 0.5 : 0) +
    gauss() * 0.6;
  const churn = risk > 0.6 ? 'yes' : 'no';
  const miss = (v) => (rand() < 0.04 ? '' : v);
  rows.push(
    [
      `c${String(i + 1).padStart(4, '0')}`,
      miss(String(age)),
      fee.toFixed(2),
      plan,
      miss(region),
      String(calls),
      autopay ? 'yes' : 'no',
      churn,
    ].join(','),
  );
}
process.stdout.write(`${rows.join('\n')}\n`);
