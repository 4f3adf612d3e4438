#include "rule_graph.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>
#include <deque>
#include <iterator>

namespace earlywarn::rules_front {
namespace {

using graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// A shortest cycle through `start` that stays inside its strong component.
std::vector<std::uint32_t> cycle_through(const graph& g, std::uint32_t start,
                                         const std::vector<int>& component) {
  const std::size_t n = boost::num_vertices(g);
  std::vector<std::int64_t> parent(n, -1);
  std::deque<std::uint32_t> queue{start};
  std::vector<bool> seen(n, false);
  while (!queue.empty()) {
    const std::uint32_t u = queue.front();
    queue.pop_front();
    for (auto [e, e_end] = boost::out_edges(u, g); e != e_end; ++e) {
      const auto v = static_cast<std::uint32_t>(boost::target(*e, g));
      if (component[v] != component[start]) continue;
      if (v == start) {
        std::vector<std::uint32_t> path{start};
        for (std::int64_t w = u; w != start && w >= 0; w = parent[static_cast<std::size_t>(w)])
          path.push_back(static_cast<std::uint32_t>(w));
        if (u != start) {
          std::reverse(path.begin() + 1, path.end());
        }
        path.push_back(start);
        return path;
      }
      if (!seen[v]) {
        seen[v] = true;
        parent[v] = u;
        queue.push_back(v);
      }
    }
  }
  return {start, start};
}

}  // namespace

rule_order order_rules(const std::vector<std::vector<std::uint32_t>>& reads) {
  const std::size_t n = reads.size();
  graph g(n);
  for (std::uint32_t r = 0; r < n; ++r)
    for (const std::uint32_t dependency : reads[r]) boost::add_edge(r, dependency, g);

  rule_order out;
  std::vector<int> component(n);
  const int components = n == 0 ? 0 : boost::strong_components(g, component.data());
  std::vector<std::vector<std::uint32_t>> members(static_cast<std::size_t>(components));
  for (std::uint32_t r = 0; r < n; ++r)
    members[static_cast<std::size_t>(component[r])].push_back(r);
  for (const auto& m : members) {
    const std::uint32_t first = m.front();  // the earliest rule in the file
    bool self_loop = false;
    for (const std::uint32_t d : reads[first]) self_loop = self_loop || d == first;
    if (m.size() > 1 || self_loop) out.cycles.push_back(cycle_through(g, first, component));
  }
  std::sort(out.cycles.begin(), out.cycles.end());
  if (!out.cycles.empty()) return out;

  // An edge reader → dependency; topological_sort emits each vertex after all
  // it points to, which is the order evaluation needs.
  boost::topological_sort(g, std::back_inserter(out.order));
  return out;
}

}  // namespace earlywarn::rules_front
