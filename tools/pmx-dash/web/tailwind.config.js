// Tailwind scans the C++ sources that write the pages' HTML and the front-end script for class
// names, and emits only those into pmx.css.
const path = require('node:path');

module.exports = {
  content: [path.join(__dirname, '../*.cpp'), path.join(__dirname, 'src/**/*.js')],
  theme: { extend: {} },
  plugins: [],
};
