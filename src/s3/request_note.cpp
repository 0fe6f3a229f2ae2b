#include "s3/request_note.hpp"

namespace presign::s3::detail {

namespace {
// Passes the body through to the operation's exchange and notes its answer.
class noted_exchange final : public http::exchange {
  public:
    noted_exchange(std::unique_ptr<http::exchange> inner, http::request_note note)
        : inner_(std::move(inner)), note_(std::move(note)) {}

    std::optional<http::response> on_body(std::span<const char> chunk) override {
        auto early = inner_->on_body(chunk);
        if (early) early->note = note_;
        return early;
    }
    http::response finish() override {
        http::response res = inner_->finish();
        res.note = std::move(note_);
        return res;
    }

  private:
    std::unique_ptr<http::exchange> inner_;
    http::request_note note_;
};
}  // namespace

void note(std::variant<http::response, std::unique_ptr<http::exchange>>& out,
          std::string_view operation, std::string identity) {
    if (auto* res = std::get_if<http::response>(&out)) {
        res->note.operation = operation;
        res->note.identity = std::move(identity);
        return;
    }
    auto& ex = std::get<std::unique_ptr<http::exchange>>(out);
    ex = std::make_unique<noted_exchange>(std::move(ex),
                                          http::request_note{operation, std::move(identity)});
}

}  // namespace presign::s3::detail
